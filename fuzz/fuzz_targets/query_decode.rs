//! Query decoding for each list: never panics, and the fast path agrees with
//! the exact path; a decoded query re-encodes to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::query::{
    DecodeOptions, IntegrationSetupSessions, ListQuery, Resource, SessionTemplateProviders, SessionTemplates,
};

fn check<R: Resource>(text: &str) {
    let options = DecodeOptions::default();
    let public = ListQuery::<R>::decode_with(text, &options);
    let exact = ListQuery::<R>::decode_exact(text, &options);
    assert_eq!(public, exact, "fast and exact paths disagree on {text:?}");
    if let Ok(q) = public {
        let again = ListQuery::<R>::decode(&q.encode()).expect("an encoded query decodes");
        assert_eq!(again, q);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check::<SessionTemplates>(text);
        check::<SessionTemplateProviders>(text);
        check::<IntegrationSetupSessions>(text);
    }
});
