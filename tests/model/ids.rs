//! Ids and timestamps.

use switchboard::model::Timestamp;
use switchboard::model::error::ErrorKind;
use switchboard::model::id::{
    ProviderAuthMethodScopeId, ProviderDeploymentId, ProviderId, SessionTemplateId,
};

#[test]
fn aliases_are_accepted_and_kept() {
    for (text, canonical) in [("set_abc", "stm_abc"), ("stm_abc", "stm_abc")] {
        let id: SessionTemplateId = text.parse().unwrap();
        assert_eq!(id.as_str(), text);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        assert_eq!(id.to_canonical().as_str(), canonical);
    }
    assert_eq!(
        "pamsco_x"
            .parse::<ProviderAuthMethodScopeId>()
            .unwrap()
            .to_canonical()
            .as_str(),
        "pams_x"
    );
    assert_eq!("pdp_x".parse::<ProviderDeploymentId>().unwrap().prefix(), "pdp");
}

#[test]
fn a_prefix_that_is_a_prefix_of_another_is_not_confused() {
    // `pams_` is not `pam_`; `isst_` is not `iss_`.
    let err = "pams_x"
        .parse::<switchboard::model::id::ProviderAuthMethodId>()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidId);
    insta::assert_snapshot!(err, @"expected a provider auth method id (prefix `pam_`), found a provider auth method scope id (prefix `pams_`)");
    assert!(
        "isst_x"
            .parse::<switchboard::model::id::IntegrationSetupSessionId>()
            .is_err()
    );
}

#[test]
fn generated_ids_have_the_live_shape_and_sort_by_time() {
    let t = Timestamp::parse("2025-09-15T10:30:00.000Z").unwrap();
    let id = ProviderId::generate(t, 12345).unwrap();
    assert_eq!(id.body().len(), 22);
    assert_eq!(&id.as_str()[..4], "pro_");
    assert!(ProviderId::parse(id.as_str()).is_ok());
    let later = ProviderId::generate(t.checked_add_millis(1).unwrap(), 0).unwrap();
    assert!(id < later);
    let before_epoch = Timestamp::parse("1969-12-31T23:59:59.999Z").unwrap();
    let err = ProviderId::generate(before_epoch, 0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidId);
    insta::assert_snapshot!(err, @"cannot generate an id for 1969-12-31T23:59:59.999Z: the time must be between 1970 and 5188");
}

#[test]
fn overlong_ids_are_refused() {
    let long = format!("pro_{}", "a".repeat(65));
    let err = long.parse::<ProviderId>().unwrap_err();
    insta::assert_snapshot!(err, @"provider id is 65 characters after the prefix, more than the limit of 64");
}

#[test]
fn timestamps_normalise_to_utc_and_truncate() {
    let cases = [
        ("2025-09-15T10:30:00Z", "2025-09-15T10:30:00.000Z"),
        ("2025-09-15T10:30:00.9999999Z", "2025-09-15T10:30:00.999Z"),
        ("2025-09-15T12:30:00.5+02:00", "2025-09-15T10:30:00.500Z"),
        ("2025-09-15t10:30:00.000z", "2025-09-15T10:30:00.000Z"),
        ("1969-12-31T23:59:59.9995Z", "1969-12-31T23:59:59.999Z"),
        ("0000-01-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
    ];
    for (input, out) in cases {
        assert_eq!(Timestamp::parse(input).unwrap().to_string(), out, "{input}");
    }
    assert!(Timestamp::parse("0000-01-01T00:00:00.000+00:01").is_err());
}
