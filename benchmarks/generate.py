"""Synthetic cloudmart sources at a chosen scale, written with DuckDB's COPY.

    .venv/bin/python benchmarks/generate.py OUT_DIR --rows 1e6 [--violations N] [--seed-names]

Writes OUT_DIR/<source_id>.csv (one document per source: `# key: value` front matter, then figures),
OUT_DIR/reference/{providers,provider_groups,provider_group_members,markets,metrics,aliases}.csv and
OUT_DIR/manifest.json (what was generated; planted violations and the rules they break).

The figures follow one hidden "truth" per key, so every source that states a figure states the same
value, and the rules of the audits and GX suites hold:

* shares: every market has a block of 12 active providers whose shares (decreasing, so ranks are
  1, 2, 3 ...) add up to at most 90 %; a source states a subset of them per market × period;
* groups: groups of three providers; a group's share is exactly the sum of its members' shares;
* revenue grows by a fixed rate per provider, so stated growth, prior-year revenue and revenue
  multiples ("N-fold" over a span) agree with each other; growth lies in -5 .. 45 %;
* operating counts, speeds and durations are ≥ 0; percentages within 0 .. 100;
* no entity × metric × market × period twice in a source; every citation is in the front matter.

The key space grows with the row count (markets ≈ rows / 5,800, providers ≈ rows / 3,600), so each
figure is stated by about three sources at every scale instead of thousands.

`--violations N` plants N rule-breaking rows in existing documents, in periods (2000 .. 2009) no
honest row uses, cycling through three kinds: a share over 100 %, two exact shares adding up to
120 % (one cell of the sum rule per two rows), and growth of 1,500 %. The manifest lists the
counts and the suites/rules that must fail.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import time
from pathlib import Path

import duckdb

FIRST_YEAR, LAST_YEAR = 2010, 2025
BLOCK = 12                       # active providers per market
SHARE_TOTAL = 90.0               # the truth's shares of one market and period add up to at most this
SEED_PROVIDERS = [               # the seed's providers first, so docs/warehouse.md's queries find them
    ("Amazon Web Services", "Amazon", "United States", "hyperscaler"),
    ("Microsoft Azure", "Microsoft", "United States", "hyperscaler"),
    ("Google Cloud", "Alphabet", "United States", "hyperscaler"),
    ("Alibaba Cloud", "Alibaba Group", "China", "internet_platform_cloud"),
    ("Tencent Cloud", "Tencent", "China", "internet_platform_cloud"),
    ("Huawei Cloud", "Huawei", "China", "ict_vendor_cloud"),
    ("Mobile Cloud", "China Mobile", "China", "telecom_operator_cloud"),
    ("Tianyi Cloud", "China Telecom", "China", "telecom_operator_cloud"),
    ("Unicom Cloud", "China Unicom", "China", "telecom_operator_cloud"),
]
SEED_GROUPS = ["US Big Three", "China Operator Three"]
SEED_MARKETS = [
    ("Global cloud infrastructure services", "Global", "cloud infrastructure services (IaaS and PaaS)"),
    ("China public cloud IaaS", "China", "public cloud IaaS"),
    ("China cloud computing (domestic)", "China", "cloud computing"),
]
REGIONS = ["Global", "China", "United States", "Europe", "Japan", "India", "Brazil", "Southeast Asia",
           "Middle East", "Africa", "Germany", "United Kingdom", "France", "Korea", "Australia", "Canada",
           "Mexico", "Indonesia", "Nordics", "Latin America"]
SEGMENTS = ["public cloud IaaS", "public cloud PaaS", "public cloud SaaS", "cloud infrastructure services",
            "private cloud", "hybrid cloud", "edge cloud", "AI cloud", "sovereign cloud", "government cloud",
            "financial services cloud", "cloud storage", "cloud databases", "CDN and edge delivery"]
KINDS = ["hyperscaler", "internet_platform_cloud", "ict_vendor_cloud", "telecom_operator_cloud",
         "regional_cloud", "specialist_cloud"]
COUNTRIES = ["United States", "China", "Germany", "France", "Japan", "India", "Korea", "Brazil",
             "United Kingdom", "Singapore"]
METRICS = [  # metric, unit, fact_table, description (the seed's realistic set)
    ("market_share", "pct", "market_share", "Share of a market held by a provider or provider group"),
    ("market_rank", "rank", "market_share", "Position of a provider in a market by share (1 = largest)"),
    ("revenue", "currency", "provider_financials", "Revenue of a provider's cloud business"),
    ("revenue_growth_yoy", "pct", "provider_financials", "Year-on-year revenue growth"),
    ("revenue_multiple", "x", "provider_financials",
     "Revenue at the end of a span divided by revenue at its start (N-fold)"),
    ("investment_commitment", "currency", "provider_financials",
     "Announced investment in cloud and AI infrastructure"),
    ("market_spend", "currency", "market_size", "Total spending in a market"),
    ("government_enterprise_customers", "count", "operating_metrics", "Government and enterprise customers served"),
    ("transportation_customers", "count", "operating_metrics", "Customers in the transportation industry"),
    ("healthcare_customers", "count", "operating_metrics", "Customers in the healthcare industry"),
    ("provincial_government_clouds", "count", "operating_metrics", "Provincial-level government cloud platforms built"),
    ("prefectural_government_clouds", "count", "operating_metrics", "Prefecture-level government cloud platforms built"),
    ("provinces_covered", "count", "operating_metrics", "Provinces covered by rural-revitalisation government clouds"),
    ("villages_covered", "count", "operating_metrics", "Administrative villages covered by government clouds"),
    ("cities_with_1ms_latency", "pct", "operating_metrics", "Share of cities within 1 ms network latency of a cloud node"),
    ("edge_nodes", "count", "operating_metrics", "Edge computing nodes available to the cloud"),
    ("developer_registrations", "count", "operating_metrics", "Registered members of the developer community"),
    ("peak_orders_per_second", "per_second", "operating_metrics", "Peak e-commerce orders per second processed"),
    ("peak_transactions_per_second", "per_second", "operating_metrics", "Peak database transactions per second"),
    ("storage_iops", "per_second", "operating_metrics", "Distributed storage performance in I/O operations per second"),
    ("bare_metal_boot_time", "seconds", "operating_metrics", "Boot-up time of a bare-metal cloud server"),
    ("cluster_scheduling_accelerators", "count", "operating_metrics", "Accelerator cards scheduled at second level"),
    ("ai_compute_density_lead", "years", "operating_metrics", "Claimed lead in AI-chip compute density"),
    ("open_source_models", "count", "operating_metrics", "Large language models released as open source"),
    ("model_languages", "count", "operating_metrics", "Languages supported by the provider's flagship AI model"),
    ("ai_platform_regions", "count", "operating_metrics", "Regions where the provider's AI model platform is available"),
    ("new_data_center_countries", "count", "operating_metrics", "Countries with newly announced data centers"),
]
OPERATING = [(m, u) for m, u, f, _ in METRICS if f == "operating_metrics"]
ROWS_PER_SHARE_CELL = 9 + 1 + 1.5 + 1 / 3      # expected rows a source states per market × period
ROWS_PER_FIN_CELL = 1 + 0.5 + 0.1 / 7 * 2 + 0.05  # revenue, growth, sometimes investment / multiple
ROWS_PER_OP_CELL = len(OPERATING) / 4
MIX = {"share": 0.70, "financial": 0.15, "operating": 0.15}
VIOLATION_KINDS = ("share_over_100", "shares_sum_over_100", "growth_out_of_band")


def plan(rows: int) -> dict:
    """Sizes of the synthetic world for `rows` figure rows."""
    groups = max(2, math.ceil(rows / 3600 / 6))
    return {
        "rows": rows,
        "sources": max(4, round(0.6 * math.sqrt(rows))),
        "providers": 6 * groups,
        "groups": groups,
        "markets": max(3, round(rows / 5800)),
        "years": LAST_YEAR - FIRST_YEAR + 1,
    }


def _periods_sql() -> str:
    """Every share / financial period: quarters, halves, years of FIRST_YEAR..LAST_YEAR."""
    return f"""
    CREATE TABLE periods AS
    SELECT row_number() OVER (ORDER BY y, grain, part)::INTEGER - 1 AS t, y, grain, part,
           CASE grain WHEN 'quarter' THEN y || '-Q' || part WHEN 'half' THEN y || '-H' || part ELSE y::VARCHAR END AS label,
           CASE grain WHEN 'quarter' THEN 0.25 WHEN 'half' THEN 0.5 ELSE 1.0 END AS frac
    FROM range({FIRST_YEAR}, {LAST_YEAR + 1}) r(y),
         (SELECT 'quarter' AS grain, unnest([1, 2, 3, 4]) AS part UNION ALL SELECT 'half', unnest([1, 2])
          UNION ALL SELECT 'year', 1)"""


def build(con: duckdb.DuckDBPyConnection, p: dict, violations: int) -> None:
    """Create the tables `providers`, `groups_`, `members`, `markets`, `metrics`, `documents`, `fig`."""
    S, P, G, M = p["sources"], p["providers"], p["groups"], p["markets"]
    con.execute(_periods_sql())
    T = con.execute("SELECT count(*) FROM periods").fetchone()[0]
    seed = ", ".join(f"({i}, '{n}', '{c}', '{h}', '{k}')" for i, (n, c, h, k) in enumerate(SEED_PROVIDERS))
    con.execute(f"""
    CREATE TABLE providers AS
    WITH seed(p, provider, parent_company, headquarters_country, kind) AS (VALUES {seed})
    SELECT r.range::INTEGER AS p,
           coalesce(s.provider, {_pick(['Nimbus', 'Stratus', 'Cirrus', 'Cumulus', 'Aurora', 'Zenith', 'Vertex',
                                        'Harbor', 'Summit', 'Orbit', 'Beacon', 'Atlas'], 'r.range')}
                    || ' Cloud ' || lpad(r.range::VARCHAR, 5, '0')) AS provider,
           coalesce(s.parent_company, 'Holding ' || r.range) AS parent_company,
           coalesce(s.headquarters_country, {_pick(COUNTRIES, 'r.range')}) AS headquarters_country,
           coalesce(s.kind, {_pick(KINDS, 'r.range // 7')}) AS kind,
           100 + hash(r.range, 'base') % 5000 AS revenue_base,               -- million, in FIRST_YEAR
           ((hash(r.range, 'growth') % 500) / 10.0 - 5)::DECIMAL(6, 1) AS growth_pct,
           CASE WHEN hash(r.range, 'ccy') % 3 = 0 THEN 'CNY' ELSE 'USD' END AS currency
    FROM range({P}) r LEFT JOIN seed s ON s.p = r.range""")
    gseed = ", ".join(f"({i}, '{n}')" for i, n in enumerate(SEED_GROUPS))
    con.execute(f"""
    CREATE TABLE groups_ AS
    WITH seed(g, name) AS (VALUES {gseed})
    SELECT r.range::INTEGER AS g, coalesce(s.name, 'Alliance ' || lpad(r.range::VARCHAR, 4, '0')) AS provider_group,
           'Providers ' || (6 * r.range) || ' to ' || (6 * r.range + 2) || ', stated together by analysts' AS description
    FROM range({G}) r LEFT JOIN seed s ON s.g = r.range;
    CREATE TABLE members AS
    SELECT g.g, g.provider_group, pr.p, pr.provider FROM groups_ g, range(3) j JOIN providers pr ON pr.p = 6 * g.g + j.range;
    """)
    seed_names = "[" + ", ".join(f"'{n}'" for n, _, _ in SEED_MARKETS) + "]"
    mseed = ", ".join(f"({i}, '{n}', '{r}', '{s}')" for i, (n, r, s) in enumerate(SEED_MARKETS))
    con.execute(f"""
    CREATE TABLE markets AS
    WITH seed(m, market, region, scope) AS (VALUES {mseed})
    SELECT r.range::INTEGER AS m,
           coalesce(s.market, {_pick(REGIONS, 'r.range')} || ' ' || {_pick(SEGMENTS, 'r.range // 20')}
                    || CASE WHEN r.range >= {len(REGIONS) * len(SEGMENTS)} OR list_contains({seed_names},
                                 {_pick(REGIONS, 'r.range')} || ' ' || {_pick(SEGMENTS, 'r.range // 20')})
                            THEN ' (tracker ' || r.range || ')' ELSE '' END)
               AS market,
           coalesce(s.region, {_pick(REGIONS, 'r.range')}) AS region,
           coalesce(s.scope, {_pick(SEGMENTS, 'r.range // 20')}) AS scope,
           'Synthetic market ' || r.range || ' for benchmarks' AS description,
           5 + hash(r.range, 'spend') % 200 AS spend_base              -- billion USD in FIRST_YEAR
    FROM range({M}) r LEFT JOIN seed s ON s.m = r.range""")
    con.execute("CREATE TABLE metrics(metric VARCHAR, unit VARCHAR, fact_table VARCHAR, description VARCHAR)")
    con.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?)", [list(m) for m in METRICS])
    con.execute(f"""
    CREATE TABLE documents AS
    SELECT r.range::INTEGER AS s,
           'src-' || lpad(r.range::VARCHAR, 5, '0') || '-' || {_pick(['idc-tracker', 'analyst-note', 'earnings-review',
                'market-brief', 'press-digest', 'research-report'], 'r.range')} AS source_id,
           1 + r.range % 3 AS citations,
           r.range % 2 = 0 AS bracket_keys
    FROM range({S}) r""")

    share_pairs = round(1.03 * MIX["share"] * p["rows"] / ROWS_PER_SHARE_CELL)
    fin_pairs = round(1.03 * MIX["financial"] * p["rows"] / ROWS_PER_FIN_CELL)
    op_pairs = round(1.03 * MIX["operating"] * p["rows"] / ROWS_PER_OP_CELL)
    op_periods = ["unspecified", *[str(y) for y in range(2015, 2026)],
                  *[f"as of {y}-12-31" for y in range(2019, 2025)], "2023-11-11"]
    OT = len(op_periods)
    assert share_pairs <= S * M * T and fin_pairs <= S * P * T and op_pairs <= S * P * OT
    cite = """CASE WHEN hash(s, {k}) % (d.citations + 1) = d.citations THEN NULL
                   WHEN d.bracket_keys THEN '[' || (1 + hash(s, {k}) % (d.citations + 1)) || ']'
                   ELSE d.source_id || '-ref-' || (1 + hash(s, {k}) % (d.citations + 1)) END"""
    # --- shares, group shares, ranks, market spend: pairs (source, market × period) -------------------
    con.execute(f"""
    CREATE TABLE share_cells AS
    SELECT i, i % {S} AS s, ((i % {S}) * 7919 + i // {S}) % {M * T} AS cell
    FROM range({share_pairs}) r(i)""")
    con.execute(f"""
    CREATE TABLE fig AS
    WITH c AS (SELECT i, s, cell // {T} AS m, cell % {T} AS t FROM share_cells),
    truth AS (   -- one share per block position j, decreasing in j, adding up to at most SHARE_TOTAL
        SELECT c.*, j.range AS j, (6 * (c.m % {G}) + j.range) % {P} AS p,
               round({SHARE_TOTAL} * (({BLOCK} - j.range) + (hash(c.m, c.t, j.range) % 900) / 1000.0)
                     / ({BLOCK * (BLOCK + 1) // 2} + 0.9 * {BLOCK}), 1) AS share
        FROM c, range({BLOCK}) j
    ),
    shares AS (
        SELECT s, i, 0 AS kind, j AS ord, pr.provider AS entity, 'market_share' AS metric, mk.market, pe.label AS period,
               printf('%.1f', share) AS value, NULL AS magnitude, 'pct' AS unit,
               CASE WHEN hash(s, i, j, 'q') % 10 = 0 THEN 'approx' ELSE 'exact' END AS qualifier,
               hash(s, i, j, 'k') AS k
        FROM truth JOIN providers pr USING (p) JOIN markets mk USING (m) JOIN periods pe USING (t)
        WHERE hash(s, i, j) % 4 <> 0
    ),
    groups AS (
        SELECT s, i, 1 AS kind, gi AS ord, gr.provider_group AS entity, 'market_share', mk.market, pe.label,
               printf('%.1f', gshare), NULL, 'pct', 'exact', hash(s, i, gi, 'k')
        FROM (SELECT s, i, m, t, (j >= 6)::INTEGER AS gi, round(sum(share), 1) AS gshare
              FROM truth WHERE j IN (0, 1, 2, 6, 7, 8) GROUP BY ALL) x
        JOIN groups_ gr ON gr.g = (x.m % {G} + x.gi) % {G}
        JOIN markets mk USING (m) JOIN periods pe USING (t)
        WHERE hash(s, i, gi, 'g') % 2 = 0
    ),
    ranks AS (
        SELECT s, i, 2, j, pr.provider, 'market_rank', mk.market, pe.label, (j + 1)::VARCHAR, NULL, 'rank', 'exact',
               hash(s, i, j, 'rk')
        FROM truth JOIN providers pr USING (p) JOIN markets mk USING (m) JOIN periods pe USING (t)
        WHERE j < 3 AND hash(s, i, j, 'r') % 2 = 0
    ),
    spend AS (
        SELECT s, i, 3, 0, NULL, 'market_spend', mk.market, pe.label,
               printf('%.2f', mk.spend_base * pow(1.1, pe.y - {FIRST_YEAR}) * pe.frac), 'billion', 'USD',
               CASE WHEN hash(s, i, 'sq') % 5 = 0 THEN 'approx' ELSE 'exact' END, hash(s, i, 'sk')
        FROM c JOIN markets mk USING (m) JOIN periods pe USING (t)
        WHERE hash(s, i, 'sp') % 3 = 0
    )
    SELECT * FROM shares UNION ALL SELECT * FROM groups UNION ALL SELECT * FROM ranks UNION ALL SELECT * FROM spend""")
    # --- provider financials: pairs (source, provider × period) -------------------------------------
    con.execute(f"""
    INSERT INTO fig
    WITH c AS (
        SELECT i, i % {S} AS s, (((i % {S}) * 104729 + i // {S}) % {P * T}) AS cell FROM range({fin_pairs}) r(i)
    ),
    x AS (
        SELECT c.i, c.s, pr.*, pe.*,
               pr.revenue_base * pow(1 + pr.growth_pct / 100, pe.y - {FIRST_YEAR}) * pe.frac AS rev
        FROM c JOIN providers pr ON pr.p = c.cell // {T} JOIN periods pe ON pe.t = c.cell % {T}
    )
    SELECT s, 1e9::BIGINT + i, 10, 0, provider, 'revenue', NULL, label, printf('%.3f', rev), 'million', currency,
           'exact', hash(s, i, 'rv') FROM x
    UNION ALL
    SELECT s, 1e9::BIGINT + i, 10, 1, provider, 'revenue_growth_yoy', NULL, label, printf('%.1f', growth_pct), NULL,
           'pct', 'exact', hash(s, i, 'gr') FROM x WHERE hash(s, i, 'g') % 2 = 0
    UNION ALL
    SELECT s, 1e9::BIGINT + i, 10, 2, provider, 'investment_commitment', NULL, label,
           printf('%.1f', revenue_base / 10.0), 'billion', 'USD', 'at_least', hash(s, i, 'iv')
    FROM x WHERE grain = 'year' AND hash(s, i, 'i') % 10 = 0
    UNION ALL
    SELECT s, 1e9::BIGINT + i, 10, 3, provider, 'revenue_multiple', NULL, (y - 5) || '..' || y,
           printf('%.4f', pow(1 + growth_pct / 100, 5)), NULL, 'x', 'exact', hash(s, i, 'mx')
    FROM x WHERE grain = 'year' AND y - 5 >= {FIRST_YEAR} AND hash(s, i, 'i') % 10 = 1""")
    # --- operating metrics: pairs (source, provider × operating period) ------------------------------
    opm = ", ".join(f"({k}, '{m}', '{u}')" for k, (m, u) in enumerate(OPERATING))
    opp = ", ".join(f"({k}, '{label}')" for k, label in enumerate(op_periods))
    con.execute(f"""
    INSERT INTO fig
    WITH om(k, metric, unit) AS (VALUES {opm}), op(o, label) AS (VALUES {opp}),
    c AS (SELECT i, i % {S} AS s, (((i % {S}) * 31337 + i // {S}) % {P * OT}) AS cell FROM range({op_pairs}) r(i)),
    x AS (
        SELECT c.i, c.s, pr.p, pr.provider, op.label, om.k, om.metric, om.unit,
               hash(pr.p, om.k, op.o) AS h
        FROM c JOIN providers pr ON pr.p = c.cell // {OT} JOIN op ON op.o = c.cell % {OT}, om
        WHERE hash(c.s, c.i, om.k) % 4 = 0
    )
    SELECT s, 2e9::BIGINT + i, 20, k, provider, metric, NULL, label,
           CASE unit WHEN 'pct' THEN printf('%.1f', (h % 1000) / 10.0)
                     WHEN 'seconds' THEN (1 + h % 120)::VARCHAR
                     WHEN 'years' THEN (1 + h % 5)::VARCHAR
                     ELSE (1 + h % 999)::VARCHAR END,
           CASE WHEN unit IN ('count', 'per_second') THEN ['', 'thousand', 'million'][(1 + (h // 7) % 3)::BIGINT] END,
           unit, CASE WHEN h % 3 = 0 THEN 'at_least' ELSE 'exact' END, hash(s, i, k, 'ok') FROM x""")
    # trim to exactly the requested rows (insertion order is preserved, so this is deterministic)
    con.execute(f"""
    CREATE TABLE fig_rows AS
    SELECT f.s, f.entity, f.metric, f.market, f.period, f.value, nullif(f.magnitude, '') AS magnitude, f.unit,
           f.qualifier, {cite.format(k='f.k')} AS citation,
           CASE WHEN f.k % 50 = 0 THEN 'Stated twice in the text, recorded once' END AS note
    FROM (FROM fig LIMIT {p['rows']}) f JOIN documents d USING (s)""".replace("hash(s, f.k)", "hash(f.s, f.k)"))
    if violations:
        _plant(con, p, violations, T)


def _plant(con: duckdb.DuckDBPyConnection, p: dict, violations: int, T: int) -> None:
    """Rule-breaking rows, in periods 2000..2009 that no honest row uses (so no key is stated twice)."""
    S, M, P, G = p["sources"], p["markets"], p["providers"], p["groups"]
    quarters = [f"{y}-Q{q}" for y in range(2000, 2010) for q in range(1, 5)]
    if violations > len(quarters) * M:
        raise SystemExit(f"at most {len(quarters) * M} violations at this scale")
    ql = "[" + ", ".join(f"'{q}'" for q in quarters) + "]"
    con.execute(f"""
    INSERT INTO fig_rows
    WITH v AS (SELECT range AS v, range % 3 AS kind, range % {S} AS s, range % {M} AS m,
                      {ql}[1 + (range // {M}) % {len(quarters)}] AS period FROM range({violations}))
    SELECT v.s, pr.provider, 'market_share', mk.market, v.period, '150.0', NULL, 'pct', 'exact', NULL,
           'planted: share over 100'
    FROM v JOIN markets mk USING (m) JOIN providers pr ON pr.p = (6 * (v.m % {G})) % {P} WHERE v.kind = 0
    UNION ALL
    SELECT v.s, pr.provider, 'market_share', mk.market, v.period, '60.0', NULL, 'pct', 'exact', NULL,
           'planted: shares sum over 100'
    FROM v JOIN markets mk USING (m), range(2) j JOIN providers pr ON pr.p = (6 * (v.m % {G}) + 3 + j.range) % {P}
    WHERE v.kind = 1
    UNION ALL
    SELECT v.s, pr.provider, 'revenue_growth_yoy', NULL, v.period, '1500.0', NULL, 'pct', 'exact', NULL,
           'planted: growth out of band'
    FROM v JOIN providers pr ON pr.p = v.v % {P} WHERE v.kind = 2""")


def _pick(names: list[str], index_sql: str) -> str:
    return "[" + ", ".join("'" + n.replace("'", "''") + "'" for n in names) + f"][(1 + ({index_sql}) % {len(names)})::BIGINT]"


def _front_matter(source_id: str, s: int, citations: int, bracket: bool) -> str:
    year = 2015 + s % 11
    published = "unknown" if s % 7 == 0 else f"{year}-{1 + s % 12:02d}-{1 + s % 28:02d}"
    lines = [f'# title: "Synthetic {source_id.split("-", 2)[2].replace("-", " ")} number {s}"',
             "# outlet: unknown" if s % 4 == 0 else f'# outlet: "Outlet {s % 37}"',
             "# author: unknown" if s % 3 else f'# author: "Analyst {s % 101}"',
             f"# published: {published}", "# url: unknown" if s % 2 else f"# url: https://example.com/{source_id}",
             "# citations:"]
    for c in range(1, citations + 1):
        key = f"[{c}]" if bracket else f"{source_id}-ref-{c}"
        lines.append(f'#   "{key}": "Reference {c} of {source_id}, a market tracker or filing"')
    return "\n".join(lines) + "\nentity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n"


def generate(out: Path, rows: int, violations: int = 0, threads: int | None = None) -> dict:
    """Write the sources for `rows` figure rows (plus planted violations) into `out`; return the manifest."""
    started = time.perf_counter()
    p = plan(rows)
    if out.exists():
        shutil.rmtree(out)
    (out / "reference").mkdir(parents=True)
    spill = out.parent / f".{out.name}.parts"
    shutil.rmtree(spill, ignore_errors=True)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {threads}")
    build(con, p, violations)
    csv = "(FORMAT csv, HEADER true)"
    con.execute(f"COPY (SELECT provider, parent_company, headquarters_country, kind FROM providers ORDER BY p) "
                f"TO '{out}/reference/providers.csv' {csv}")
    con.execute(f"COPY (SELECT provider_group, description FROM groups_ ORDER BY g) "
                f"TO '{out}/reference/provider_groups.csv' {csv}")
    con.execute(f"COPY (SELECT provider_group, provider FROM members ORDER BY g, p) "
                f"TO '{out}/reference/provider_group_members.csv' {csv}")
    con.execute(f"COPY (SELECT market, region, scope, description FROM markets ORDER BY m) "
                f"TO '{out}/reference/markets.csv' {csv}")
    con.execute(f"COPY metrics TO '{out}/reference/metrics.csv' {csv}")
    # generated names are the reference names themselves: no aliases, but the file every sources folder has
    (out / "reference" / "aliases.csv").write_text("kind,name,alias\n", encoding="utf-8")
    # every document's figures in one partitioned COPY; front matter and header are put in front below
    con.execute(f"""COPY (SELECT s, entity, metric, market, period, value, magnitude, unit, qualifier, citation, note
                          FROM fig_rows) TO '{spill}' (FORMAT csv, HEADER false, PARTITION_BY (s))""")
    docs = con.execute("SELECT s, source_id, citations, bracket_keys FROM documents ORDER BY s").fetchall()
    figure_rows = con.execute("SELECT count(*) FROM fig_rows").fetchone()[0]
    counts = dict(con.execute("SELECT metric, count(*) FROM fig_rows GROUP BY 1 ORDER BY 1").fetchall())
    con.close()
    for s, source_id, citations, bracket in docs:
        with (out / f"{source_id}.csv").open("wb") as target:
            target.write(_front_matter(source_id, s, citations, bracket).encode())
            for part in sorted((spill / f"s={s}").glob("*.csv")) if (spill / f"s={s}").is_dir() else []:
                with part.open("rb") as chunk:
                    shutil.copyfileobj(chunk, target, 1 << 20)
    shutil.rmtree(spill, ignore_errors=True)
    kinds = {k: len(range(i, violations, 3)) for i, k in enumerate(VIOLATION_KINDS)}
    manifest = {
        **p, "figure_rows": figure_rows, "rows_by_metric": counts, "violations": violations,
        "violations_by_kind": kinds,
        "expected_failures": {
            "market_shares_are_valid": {"share_within_0_100": kinds["share_over_100"],
                                        "exact_shares_sum_to_at_most_100":
                                            kinds["share_over_100"] + kinds["shares_sum_over_100"]},
            "provider_financials_are_valid": {"values_in_plausible_range": kinds["growth_out_of_band"]},
        } if violations else {},
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def parse_rows(text: str) -> int:
    """'1e6' or '1000000' → 1000000."""
    return int(float(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--rows", type=parse_rows, default=1000, help="figure rows, e.g. 1e3, 1e5, 1e6, 1e7")
    parser.add_argument("--violations", type=int, default=0, help="rule-breaking rows to plant")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    args = parser.parse_args(argv)
    manifest = generate(args.out.resolve(), args.rows, args.violations, args.threads)
    print(json.dumps({k: v for k, v in manifest.items() if k != "rows_by_metric"}))
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    import os
    os._exit(code)
