//! `switchboard keys`.

use switchboard_cli::run;

/// `keys rotate`: every credential sealed under the old key is re-sealed
/// under the new one (its file created, mode 0600); a second run finds
/// nothing to do; without the old key, nothing opens and the command says so.
#[test]
fn keys_rotate_reseals_every_credential_under_the_new_key() {
    use switchboard_server::seal::{CredentialKey, SealError, Sealer};
    use switchboard_store::{AuthConfigRecord, ChildOf, NewAuthConfig, Store};
    let dir = std::env::temp_dir().join(format!("switchboard-rotate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}/rotate.db", dir.display());
    let (old_file, new_file) = (dir.join("old.key"), dir.join("new.key"));
    let old = CredentialKey::from_hex(&"ab".repeat(32)).unwrap();
    std::fs::write(&old_file, format!("{}\n", old.to_hex())).unwrap();
    let aad = switchboard_server::seal::aad("iss_1", "pro_Ln6tBw4mJr2HsF9e");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&db).await.unwrap();
        let now = "2026-06-01T00:00:00.000Z".parse().unwrap();
        let tenant = store.ensure_instance("acme", now).await.unwrap();
        let sealed = Sealer::new(old.clone(), None)
            .seal(b"{\"api_key\":\"lin_api_secret\"}", &aad)
            .unwrap();
        let id = "pac_Rotate1".parse().unwrap();
        let new = NewAuthConfig {
            record: AuthConfigRecord {
                id: "pac_Rotate1".parse().unwrap(),
                provider_id: "pro_Ln6tBw4mJr2HsF9e".parse().unwrap(),
                auth_method: "api_key".to_owned(),
                granted_scopes: None,
                name: "key".to_owned(),
                created_at: now,
            },
            sealed,
        };
        let at = ChildOf {
            session: &"iss_1".parse().unwrap(),
            step: &"isst_1".parse().unwrap(),
            child: &"pas_1".parse().unwrap(),
        };
        assert!(
            store
                .choose_auth_config(&tenant, at, &id, Some(&new))
                .await
                .unwrap()
        );
        store.close().await;
    });
    let rotate = |old: bool| {
        let mut args = vec![
            "switchboard".to_owned(),
            "keys".to_owned(),
            "rotate".to_owned(),
            "--database".to_owned(),
            db.clone(),
            "--credential-key-file".to_owned(),
            new_file.display().to_string(),
        ];
        if old {
            args.extend([
                "--old-credential-key-file".to_owned(),
                old_file.display().to_string(),
            ]);
        }
        run(args, b"")
    };
    let first = rotate(true);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.starts_with("re-sealed 1 credentials under key "),
        "{}",
        first.stdout
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&new_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let new = CredentialKey::from_hex(&std::fs::read_to_string(&new_file).unwrap()).unwrap();
    runtime.block_on(async {
        let store = Store::open(&db).await.unwrap();
        let values = store.sealed_values().await.unwrap();
        assert_eq!(values.len(), 1);
        let sealed = &values[0].1;
        assert!(sealed.starts_with(&new.id()));
        let plain = Sealer::new(new.clone(), None).open(sealed, &aad).unwrap();
        assert_eq!(plain, b"{\"api_key\":\"lin_api_secret\"}");
        assert_eq!(
            Sealer::new(old.clone(), None).open(sealed, &aad),
            Err(SealError::UnknownKey(new.id()))
        );
        store.close().await;
    });
    let again = rotate(true);
    assert_eq!(
        again.stdout.trim(),
        format!("re-sealed 0 credentials under key {}; 1 already were", new.id())
    );
    // The database alone (no key file beside it for this new name) opens nothing.
    std::fs::remove_file(&new_file).unwrap();
    let without = rotate(false);
    assert_eq!(without.code, 1, "{}", without.stdout);
    assert!(without.stderr.contains("did not open"), "{}", without.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A credential key is exactly 64 hex digits: a sign, a short or long key,
/// or another character is not one.
#[test]
fn a_credential_key_is_sixty_four_hex_digits_and_nothing_else() {
    use switchboard_server::seal::CredentialKey;
    assert!(CredentialKey::from_hex(&format!(" {} \n", "Ab".repeat(32))).is_some());
    for bad in [
        format!("+f{}", "00".repeat(31)),
        "00".repeat(31),
        "00".repeat(33),
        format!("0g{}", "00".repeat(31)),
    ] {
        assert!(
            CredentialKey::from_hex(&bad).is_none(),
            "{bad:?} was read as a key"
        );
    }
}
