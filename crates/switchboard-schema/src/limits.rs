//! The validator's limits, on by default.

/// Limits, on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest schema, in bytes of canonical JSON (256 KiB).
    pub max_schema_bytes: usize,
    /// Deepest schema nesting (64 levels).
    pub max_schema_depth: usize,
    /// Deepest instance nesting (64 levels).
    pub max_instance_depth: usize,
    /// Most violations reported for one instance (100).
    pub max_errors: usize,
    /// Compiled schemas kept (256).
    pub cache_size: usize,
    /// Most subschemas one value may be checked against in place, through
    /// `allOf`/`anyOf`/`oneOf`/`not`/`if`/`$ref` nesting (4,096): the work of
    /// a validation stays bounded by the size of the value.
    pub max_fan_out: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_schema_bytes: 256 * 1024,
            max_schema_depth: 64,
            max_instance_depth: 64,
            max_errors: 100,
            cache_size: 256,
            max_fan_out: 4096,
        }
    }
}
