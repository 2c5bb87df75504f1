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

#[test]
fn an_alias_and_its_canonical_form_are_one_id() {
    use std::collections::HashSet;
    let alias: SessionTemplateId = "set_2bCdEfGhJkLmNpQr".parse().unwrap();
    let canonical: SessionTemplateId = "stm_2bCdEfGhJkLmNpQr".parse().unwrap();
    assert_eq!(alias, canonical);
    assert_eq!(alias.as_str(), "set_2bCdEfGhJkLmNpQr"); // kept as written
    assert_eq!(
        HashSet::from([alias.clone()]).get(&canonical).map(|x| x.as_str()),
        Some("set_2bCdEfGhJkLmNpQr")
    );
    // Ordering ignores the prefix: `set_` sorts with `stm_`, not before it.
    let later: SessionTemplateId = "stm_3aaaaaaaaaaaaaaaaaaaa".parse().unwrap();
    let earlier_alias: SessionTemplateId = "set_1zzzzzzzzzzzzzzzzzzzz".parse().unwrap();
    assert!(earlier_alias < later);
}

#[test]
fn ids_made_in_the_same_millisecond_order_by_creation() {
    use switchboard::model::id::{IdGenerator, SessionTemplateProviderId};
    let t = Timestamp::parse("2026-01-01T00:00:00.000Z").unwrap();
    // Plain generation orders ids of one millisecond by their randomness...
    let a = SessionTemplateProviderId::generate(t, 500).unwrap();
    let b = SessionTemplateProviderId::generate(t, 400).unwrap();
    assert!(b < a);
    // ...a generator orders them by creation, even if the clock steps back.
    let mut ids = IdGenerator::new();
    let made: Vec<SessionTemplateProviderId> =
        [(t, 500), (t, 400), (t, 0), (t.checked_add_millis(-5).unwrap(), 9)]
            .into_iter()
            .map(|(at, r)| ids.next(at, r).unwrap())
            .collect();
    assert!(made.windows(2).all(|w| w[0] < w[1]), "{made:?}");
    // A later millisecond takes fresh randomness again.
    let next: SessionTemplateProviderId = ids.next(t.checked_add_millis(1).unwrap(), 3).unwrap();
    assert!(made.last().unwrap() < &next);
}

proptest::proptest! {
    #[test]
    fn an_id_body_is_one_to_64_ascii_letters_and_digits(
        body in proptest::prop_oneof![
            "[0-9A-Za-z]{0,70}",
            "[0-9A-Za-z]{0,20}[^0-9A-Za-z][0-9A-Za-z]{0,20}",
            "[/:@\\[`{\u{7f}-\u{ff}0-9A-Za-z]{1,30}",
        ]
    ) {
        let expected = (1..=64).contains(&body.len()) && body.bytes().all(|c| c.is_ascii_alphanumeric());
        let parsed = format!("stm_{body}").parse::<SessionTemplateId>();
        proptest::prop_assert_eq!(parsed.is_ok(), expected, "{:?}", body);
    }

    #[test]
    fn a_generator_never_goes_backwards(steps in proptest::collection::vec((0i64..3, proptest::num::u128::ANY), 1..50)) {
        use switchboard::model::id::{IdGenerator, ProviderId};
        let mut t = Timestamp::parse("2026-01-01T00:00:00.000Z").unwrap();
        let mut ids = IdGenerator::new();
        let mut last: Option<ProviderId> = None;
        for (dt, r) in steps {
            t = t.checked_add_millis(dt - 1).unwrap(); // the clock may also step back
            let id: ProviderId = ids.next(t, r).unwrap();
            if let Some(prev) = &last {
                proptest::prop_assert!(prev < &id, "{prev} then {id}");
            }
            last = Some(id);
        }
    }
}

#[test]
fn a_leap_second_is_an_error_not_the_next_minute() {
    for text in [
        "2016-12-31T23:59:60.000Z",
        "2016-12-31T23:59:60Z",
        "2017-01-01T01:59:60+02:00",
    ] {
        let err = Timestamp::parse(text).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidTimestamp, "{text}");
    }
    insta::assert_snapshot!(Timestamp::parse("2016-12-31T23:59:60.000Z").unwrap_err(), @"`2016-12-31T23:59:60.000Z` is a leap second (`:60`), which these timestamps cannot hold");
}
