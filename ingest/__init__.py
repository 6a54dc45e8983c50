"""Source files: their format and row rules, the sources folder's state, remote sources (registry, fetch, cache state), and the fingerprint of a refresh's inputs."""
