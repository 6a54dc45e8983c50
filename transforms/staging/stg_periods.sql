-- Every period label used by a current figure, with its grain and calendar bounds.
SELECT DISTINCT period_label, period_grain, start_date, end_date FROM staging.stg_figures
