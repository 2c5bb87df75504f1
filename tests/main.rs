//! The one integration-test binary: a module per area, driven by `testdata/`.

mod model;
mod support;
