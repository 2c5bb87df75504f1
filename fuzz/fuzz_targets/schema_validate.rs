//! Schema compilation plus validation: the first JSON value is the schema,
//! the rest the instance; never panics, never reaches the network.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::schema::Validator;

fuzz_target!(|data: &[u8]| {
    let mut stream = serde_json::Deserializer::from_slice(data).into_iter::<serde_json::Value>();
    let (Some(Ok(schema)), Some(Ok(instance))) = (stream.next(), stream.next()) else { return };
    let validator = Validator::default();
    let _ = validator.validate(&schema, &instance);
});
