//! The `switchboard tools` document: decoding, compiling every filter,
//! resolving and linting never panic, whatever the bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::toolset::input::ToolsetInput;
use switchboard::toolset::{ResolveOptions, lint, resolve};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = switchboard::model::decode::from_slice::<ToolsetInput>(data) else { return };
    let Ok(entries) = doc.to_entries() else { return };
    if let Ok(r) = resolve(&entries, &ResolveOptions::default()) {
        let _ = r.provider_tools();
    }
    let _ = lint(&entries);
});
