//! Filter normalisation and compilation: any filter document either fails
//! with an error or compiles and evaluates capabilities without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::model::decode;
use switchboard::model::filter::{ToolFilter, ToolFiltersInput};
use switchboard::toolset::{Capability, CompiledFilter, Kind};

fuzz_target!(|data: &[u8]| {
    let _ = decode::from_slice::<ToolFiltersInput>(data);
    let Ok(filter) = decode::from_slice::<ToolFilter>(data) else { return };
    let Ok(compiled) = CompiledFilter::compile(&filter, &[]) else { return };
    let key = String::from_utf8_lossy(data).into_owned();
    for kind in [Kind::Tool, Kind::Prompt, Kind::ResourceTemplate, Kind::ResourceRead, Kind::Utility] {
        let _ = compiled.evaluate(&Capability::new(kind, key.clone()));
        let _ = compiled.evaluate(&Capability::new(kind, "list_issues"));
    }
});
