//! The JavaScript pattern parser: any text gets a translation or a reason,
//! never a panic; a translation compiles (or is refused for its size), and
//! matching it against a key never panics. The crate alone (`JsRegex`)
//! answers as the resolver does, and a transcoded text has one character per
//! UTF-16 code unit.

#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::model::filter::{Rule, ToolFilter};
use switchboard::toolset::{Capability, CompiledFilter};
use switchboard_jsregex::{JsRegex, code_units};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (pattern, key) = text.split_once('\u{0}').unwrap_or((text, "key"));
    assert_eq!(code_units(key).chars().count(), key.encode_utf16().count());
    if switchboard::model::pattern::translate(pattern).is_err() {
        assert!(JsRegex::new(pattern).is_err(), "{pattern:?}");
        return;
    }
    let filter = ToolFilter::from_rules(vec![Rule::ToolRegex { pattern: pattern.to_owned() }]);
    if let Ok(compiled) = CompiledFilter::compile(&filter, &[]) {
        let resolver = compiled.evaluate(&Capability::tool(key)).is_some();
        if let Ok(re) = JsRegex::new(pattern) {
            assert_eq!(re.is_match(key), resolver, "/{pattern}/i on {key:?}");
        }
    }
});
