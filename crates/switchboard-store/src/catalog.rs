//! The catalog: loaded from a file, idempotently.

use std::collections::BTreeMap;

use switchboard_model::catalog::Catalog;

use crate::backend::{on_conn, on_pool, query, query_as};
use crate::{Store, StoreError};

/// What loading a catalog changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatalogChange {
    /// Objects that were not stored before.
    pub added: usize,
    /// Objects stored before with other contents.
    pub updated: usize,
    /// Objects stored before and absent from the new catalog.
    pub removed: usize,
    /// Objects stored before with the same contents.
    pub unchanged: usize,
}

/// Every object of the catalog as `(kind, id) -> JSON`.
fn objects(c: &Catalog) -> BTreeMap<(&'static str, String), String> {
    fn put<T: serde::Serialize>(
        out: &mut BTreeMap<(&'static str, String), String>,
        kind: &'static str,
        items: &[T],
        id: impl Fn(&T) -> String,
    ) {
        for item in items {
            // Catalog objects always encode: string keys, finite numbers.
            out.insert((kind, id(item)), serde_json::to_string(item).unwrap_or_default());
        }
    }
    let mut out = BTreeMap::new();
    put(&mut out, "providers", &c.providers, |p| {
        p.id.to_canonical().as_str().to_owned()
    });
    put(&mut out, "provider_versions", &c.provider_versions, |p| {
        p.id.to_canonical().as_str().to_owned()
    });
    put(&mut out, "deployments", &c.deployments, |p| {
        p.id.to_canonical().as_str().to_owned()
    });
    put(&mut out, "configs", &c.configs, |p| {
        p.id.to_canonical().as_str().to_owned()
    });
    put(&mut out, "auth_configs", &c.auth_configs, |p| {
        p.id.to_canonical().as_str().to_owned()
    });
    put(&mut out, "integrations", &c.integrations, |p| {
        p.id.to_canonical().as_str().to_owned()
    });
    out
}

impl Store {
    /// Makes the stored catalog equal to `catalog` in one transaction:
    /// loading the same catalog twice changes nothing the second time.
    pub async fn save_catalog(&self, catalog: &Catalog) -> Result<CatalogChange, StoreError> {
        let wanted = objects(catalog);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let rows: Vec<(String, String, String)> =
                query_as("SELECT kind, id, body FROM catalog_objects", self.named)
                    .fetch_all(&mut *tx)
                    .await?;
            let mut change = CatalogChange::default();
            let mut stored: BTreeMap<(String, String), String> = rows
                .into_iter()
                .map(|(kind, id, body)| ((kind, id), body))
                .collect();
            for ((kind, id), body) in &wanted {
                match stored.remove(&((*kind).to_owned(), id.clone())) {
                    Some(old) if &old == body => change.unchanged += 1,
                    old => {
                        if old.is_some() {
                            change.updated += 1;
                        } else {
                            change.added += 1;
                        }
                        query(
                            "INSERT INTO catalog_objects (kind, id, body) VALUES ($1, $2, $3) \
                             ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
                            self.named,
                        )
                        .bind(*kind)
                        .bind(id)
                        .bind(body)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            for (kind, id) in stored.keys() {
                change.removed += 1;
                query(
                    "DELETE FROM catalog_objects WHERE kind = $1 AND id = $2",
                    self.named,
                )
                .bind(kind)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(change)
        })
    }

    /// The stored catalog.
    pub async fn catalog(&self) -> Result<Catalog, StoreError> {
        let rows: Vec<(String, String, String)> = on_conn!(self, |c| {
            Ok(query_as(
                "SELECT kind, id, body FROM catalog_objects ORDER BY kind, id",
                self.named,
            )
            .fetch_all(&mut *c)
            .await?)
        })?;
        let mut c = Catalog::default();
        for (kind, id, body) in &rows {
            let (kind, id, body) = (kind.as_str(), id.as_str(), body.as_str());
            let bad = |e: serde_json::Error| StoreError::corrupt("catalog object", id, e);
            match kind {
                "providers" => c.providers.push(serde_json::from_str(body).map_err(bad)?),
                "provider_versions" => c.provider_versions.push(serde_json::from_str(body).map_err(bad)?),
                "deployments" => c.deployments.push(serde_json::from_str(body).map_err(bad)?),
                "configs" => c.configs.push(serde_json::from_str(body).map_err(bad)?),
                "auth_configs" => c.auth_configs.push(serde_json::from_str(body).map_err(bad)?),
                "integrations" => c.integrations.push(serde_json::from_str(body).map_err(bad)?),
                other => {
                    return Err(StoreError::corrupt(
                        "catalog object",
                        id,
                        format!("unknown kind `{other}`"),
                    ));
                }
            }
        }
        Ok(c)
    }
}
