//! The metadata cache kept by `publish`, so a warm publish probes nothing.
