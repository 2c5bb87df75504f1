//! Decoding of every `switchboard check` kind: never panics, and whatever
//! decodes re-encodes to a document that decodes to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard::model::decode::{self, UnknownKeys};
use switchboard::model::objects::*;
use switchboard::model::request::*;
use switchboard::model::{ErrorBody, List};

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &[u8]) {
    for mode in [UnknownKeys::Ignore, UnknownKeys::Reject] {
        if let Ok(v) = decode::from_slice_with::<T>(data, mode) {
            let text = serde_json::to_string(&v).expect("model values encode");
            let back: T = decode::from_str(&text).expect("canonical encoding decodes");
            assert_eq!(back, v);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    round_trip::<SessionTemplate>(data);
    round_trip::<SessionTemplateProvider>(data);
    round_trip::<IntegrationSetupSession>(data);
    round_trip::<SetupSessionStep>(data);
    round_trip::<IntegrationInstance>(data);
    round_trip::<InstanceProvider>(data);
    round_trip::<ProviderTool>(data);
    round_trip::<ProviderTools>(data);
    round_trip::<ErrorBody>(data);
    round_trip::<List<SessionTemplate>>(data);
    round_trip::<CreateSessionTemplate>(data);
    round_trip::<UpdateSessionTemplate>(data);
    round_trip::<CreateSessionTemplateProvider>(data);
    round_trip::<UpdateSessionTemplateProvider>(data);
    round_trip::<CreateIntegrationSetupSession>(data);
});
