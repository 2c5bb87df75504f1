//! The JavaScript pattern parser: any text gets a translation or a reason,
//! never a panic; a translation compiles (or is refused for its size), and
//! matching it against a key never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::model::filter::{Rule, ToolFilter};
use switchboard::toolset::{Capability, CompiledFilter};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (pattern, key) = text.split_once('\u{0}').unwrap_or((text, "key"));
    if switchboard::model::pattern::translate(pattern).is_err() {
        return;
    }
    let filter = ToolFilter::from_rules(vec![Rule::ToolRegex { pattern: pattern.to_owned() }]);
    if let Ok(compiled) = CompiledFilter::compile(&filter, &[]) {
        let _ = compiled.evaluate(&Capability::tool(key));
    }
});
