//! Session templates and their providers.

use std::collections::HashMap;

use sqlx::Row;
use switchboard_model::id::{Id, SessionTemplateId, SessionTemplateProviderId};
use switchboard_model::{List, SessionTemplate, SessionTemplateProvider};
use switchboard_query::page::PageRequest;
use switchboard_query::{ListQuery, SessionTemplateProviders, SessionTemplates};

use crate::sql::{Arg, Where, bind};
use crate::{Store, StoreError, Tenant};

const TEMPLATE: &str = "session.template";
const PROVIDER: &str = "session.template.provider";

/// The wire names of list statuses.
fn statuses(list: &[switchboard_model::enums::TemplateListStatus]) -> Vec<&'static str> {
    list.iter().map(|s| s.as_str()).collect()
}

fn encode<T: serde::Serialize>(v: &T) -> String {
    // Model objects always encode: string keys, finite numbers.
    serde_json::to_string(v).unwrap_or_default()
}

fn decode<T: serde::de::DeserializeOwned>(
    entity: &'static str,
    id: &str,
    body: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::corrupt(entity, id, e))
}

/// A template's own row: the object without its providers, which have theirs.
fn template_body(t: &SessionTemplate) -> String {
    let mut bare = t.clone();
    bare.providers = Vec::new();
    encode(&bare)
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;

/// Stores a new provider.
async fn insert_provider(
    tx: &mut Tx<'_>,
    tenant: &Tenant,
    p: &SessionTemplateProvider,
) -> Result<sqlx::sqlite::SqliteQueryResult, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO session_template_providers (instance_id, id, session_template_id, provider_id, deployment_id, \
         config_id, auth_config_id, status, created_at, updated_at, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(tenant.id)
    .bind(p.id.to_canonical().as_str())
    .bind(p.session_template_id.to_canonical().as_str())
    .bind(p.provider_id.as_str())
    .bind(p.deployment.id.to_canonical().as_str())
    .bind(p.config.id.as_str())
    .bind(p.auth_config.as_ref().and_then(|a| a.id()).map(|id| id.as_str().to_owned()))
    .bind(p.status.as_str())
    .bind(p.created_at.as_millis())
    .bind(p.updated_at.as_millis())
    .bind(encode(p))
    .execute(&mut **tx)
    .await?)
}

/// Writes `p` over `read`: a compare-and-swap on the whole stored object,
/// refused as a conflict if the stored provider is no longer `read`.
async fn swap_provider(
    tx: &mut Tx<'_>,
    tenant: &Tenant,
    p: &SessionTemplateProvider,
    read: &SessionTemplateProvider,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE session_template_providers SET status = $1, updated_at = $2, body = $3 \
         WHERE instance_id = $4 AND id = $5 AND body = $6",
    )
    .bind(p.status.as_str())
    .bind(p.updated_at.as_millis())
    .bind(encode(p))
    .bind(tenant.id)
    .bind(p.id.to_canonical().as_str())
    .bind(encode(read))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict {
            entity: PROVIDER,
            id: p.id.as_str().to_owned(),
        });
    }
    Ok(())
}

impl Store {
    /// Stores a new template and its providers, together or not at all.
    pub async fn insert_template(&self, tenant: &Tenant, t: &SessionTemplate) -> Result<(), StoreError> {
        self.insert_templates(tenant, std::slice::from_ref(t)).await
    }

    /// Stores new templates and their providers in one transaction (an
    /// import): all of them or none.
    pub async fn insert_templates(
        &self,
        tenant: &Tenant,
        templates: &[SessionTemplate],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for t in templates {
            sqlx::query(
                "INSERT INTO session_templates (instance_id, id, status, created_at, updated_at, body) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(tenant.id)
            .bind(t.id.to_canonical().as_str())
            .bind(t.status.as_str())
            .bind(t.created_at.as_millis())
            .bind(t.updated_at.as_millis())
            .bind(template_body(t))
            .execute(&mut *tx)
            .await?;
            for p in &t.providers {
                insert_provider(&mut tx, tenant, p).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes a changed template and the providers that changed with it (for
    /// example those [`SessionTemplate::archive`] returned), in one transaction.
    /// Each write is a compare-and-swap on the whole stored object: it is
    /// refused as a conflict if the stored template is no longer `read`, or
    /// a changed provider no longer the one in `read.providers` (so two
    /// writes in the same millisecond are still told apart, and an archive
    /// never overwrites a provider changed since it was read).
    pub async fn update_template(
        &self,
        tenant: &Tenant,
        t: &SessionTemplate,
        read: &SessionTemplate,
        providers: &[SessionTemplateProvider],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE session_templates SET status = $1, updated_at = $2, body = $3 \
             WHERE instance_id = $4 AND id = $5 AND body = $6",
        )
        .bind(t.status.as_str())
        .bind(t.updated_at.as_millis())
        .bind(template_body(t))
        .bind(tenant.id)
        .bind(t.id.to_canonical().as_str())
        .bind(template_body(read))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                entity: TEMPLATE,
                id: t.id.as_str().to_owned(),
            });
        }
        for p in providers.iter().chain(&t.providers) {
            let Some(before) = read.providers.iter().find(|r| r.id == p.id) else {
                return Err(StoreError::Conflict {
                    entity: PROVIDER,
                    id: p.id.as_str().to_owned(),
                });
            };
            if before != p {
                swap_provider(&mut tx, tenant, p, before).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// A template with its active providers, sorted by id (one query).
    pub async fn template(
        &self,
        tenant: &Tenant,
        id: &SessionTemplateId,
    ) -> Result<Option<SessionTemplate>, StoreError> {
        let id = id.to_canonical();
        let rows = sqlx::query(
            "SELECT 0 AS part, id, body FROM session_templates WHERE instance_id = $1 AND id = $2 \
             UNION ALL SELECT 1 AS part, id, body FROM session_template_providers \
             WHERE instance_id = $1 AND session_template_id = $2 AND status = 'active' ORDER BY part, id",
        )
        .bind(tenant.id)
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut rows = rows.iter();
        let Some(first) = rows.next() else { return Ok(None) };
        let mut t: SessionTemplate = decode(TEMPLATE, id.as_str(), first.try_get(2)?)?;
        t.providers = rows
            .map(|r| decode(PROVIDER, r.try_get(1)?, r.try_get(2)?))
            .collect::<Result<_, StoreError>>()?;
        Ok(Some(t))
    }

    /// Fills each template's `providers` with its active providers, in one query.
    async fn attach_providers(
        &self,
        tenant: &Tenant,
        templates: &mut [SessionTemplate],
    ) -> Result<(), StoreError> {
        if templates.is_empty() {
            return Ok(());
        }
        let mut w = Where::default();
        w.eq("instance_id", Arg::Int(tenant.id));
        w.eq("status", Arg::Text("active".to_owned()));
        let ids: Vec<SessionTemplateId> = templates.iter().map(|t| t.id.to_canonical()).collect();
        w.any_of("session_template_id", &ids);
        let sql = format!(
            "SELECT id, session_template_id, body FROM session_template_providers WHERE {} ORDER BY id",
            w.sql()
        );
        let args = w.into_args();
        let rows = bind(sqlx::query(&sql), &args).fetch_all(&self.pool).await?;
        let mut by_template: HashMap<String, Vec<SessionTemplateProvider>> = HashMap::new();
        for row in rows {
            let id: &str = row.try_get(0)?;
            let p = decode(PROVIDER, id, row.try_get(2)?)?;
            by_template.entry(row.try_get(1)?).or_default().push(p);
        }
        for t in templates {
            t.providers = by_template
                .remove(t.id.to_canonical().as_str())
                .unwrap_or_default();
        }
        Ok(())
    }

    /// A page of templates: archived ones only when `status` asks for them,
    /// every filter a `WHERE` term.
    pub async fn list_templates(
        &self,
        tenant: &Tenant,
        q: &ListQuery<SessionTemplates>,
    ) -> Result<List<SessionTemplate>, StoreError> {
        let f = &q.filter;
        let mut w = Where::default();
        w.eq("t.instance_id", Arg::Int(tenant.id));
        w.status_or_active("t.status", &statuses(&f.status));
        w.any_of("t.id", &f.id);
        if !f.session_id.is_empty() || !f.session_provider_id.is_empty() {
            // This server runs no sessions: no template is used by one.
            w.and("1 = 0".to_owned());
        }
        for (column, ids) in [
            (
                "p.provider_id",
                f.provider_id
                    .iter()
                    .map(|i| i.as_str().to_owned())
                    .collect::<Vec<_>>(),
            ),
            (
                "p.deployment_id",
                f.provider_deployment_id
                    .iter()
                    .map(|i| i.as_str().to_owned())
                    .collect(),
            ),
            (
                "p.config_id",
                f.provider_config_id
                    .iter()
                    .map(|i| i.as_str().to_owned())
                    .collect(),
            ),
            (
                "p.auth_config_id",
                f.provider_auth_config_id
                    .iter()
                    .map(|i| i.as_str().to_owned())
                    .collect(),
            ),
        ] {
            if !ids.is_empty() {
                let list = w.list(ids.into_iter());
                w.and(format!(
                    "EXISTS (SELECT 1 FROM session_template_providers p WHERE p.instance_id = t.instance_id \
                     AND p.session_template_id = t.id AND p.status = 'active' AND {column} IN ({list}))"
                ));
            }
        }
        w.range("t.created_at", f.created_at.as_ref());
        w.range("t.updated_at", f.updated_at.as_ref());
        let page = PageRequest::from(q);
        let mut items = self
            .page_of::<SessionTemplate, _>(TEMPLATE, "session_templates t", "t.id", "t.body", w, &page)
            .await?;
        self.attach_providers(tenant, &mut items.items).await?;
        Ok(items)
    }

    /// Stores a new provider of an existing template, in the same
    /// transaction as a check that the template is still active (a template
    /// archived meanwhile is a conflict, not an archived template with an
    /// active provider).
    pub async fn insert_template_provider(
        &self,
        tenant: &Tenant,
        p: &SessionTemplateProvider,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let active = sqlx::query(
            "UPDATE session_templates SET status = status WHERE instance_id = $1 AND id = $2 AND status = 'active'",
        )
        .bind(tenant.id)
        .bind(p.session_template_id.to_canonical().as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if active != 1 {
            return Err(StoreError::Conflict {
                entity: TEMPLATE,
                id: p.session_template_id.as_str().to_owned(),
            });
        }
        insert_provider(&mut tx, tenant, p).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a changed template provider over `read`, the provider as it
    /// was read: a compare-and-swap, refused as a conflict if the stored
    /// provider changed meanwhile (an archive of its template, say).
    pub async fn update_template_provider(
        &self,
        tenant: &Tenant,
        p: &SessionTemplateProvider,
        read: &SessionTemplateProvider,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        swap_provider(&mut tx, tenant, p, read).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A template provider, whatever its status.
    pub async fn template_provider(
        &self,
        tenant: &Tenant,
        id: &SessionTemplateProviderId,
    ) -> Result<Option<SessionTemplateProvider>, StoreError> {
        let id = id.to_canonical();
        let row =
            sqlx::query("SELECT body FROM session_template_providers WHERE instance_id = $1 AND id = $2")
                .bind(tenant.id)
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| decode(PROVIDER, id.as_str(), r.try_get(0)?))
            .transpose()
    }

    /// A page of template providers (archived ones only when asked for).
    pub async fn list_template_providers(
        &self,
        tenant: &Tenant,
        q: &ListQuery<SessionTemplateProviders>,
    ) -> Result<List<SessionTemplateProvider>, StoreError> {
        let f = &q.filter;
        let mut w = Where::default();
        w.eq("instance_id", Arg::Int(tenant.id));
        w.status_or_active("status", &statuses(&f.status));
        w.any_of("id", &f.id);
        w.any_of("session_template_id", &f.session_template_id);
        w.any_of("provider_id", &f.provider_id);
        w.any_of("deployment_id", &f.provider_deployment_id);
        w.any_of("config_id", &f.provider_config_id);
        w.any_of("auth_config_id", &f.provider_auth_config_id);
        w.range("created_at", f.created_at.as_ref());
        w.range("updated_at", f.updated_at.as_ref());
        let page = PageRequest::from(q);
        self.page_of(PROVIDER, "session_template_providers", "id", "body", w, &page)
            .await
    }

    /// One keyset page of `table` under `w`: the rows (the JSON of column
    /// `body`), then the probe.
    pub(crate) async fn page_of<T: serde::de::DeserializeOwned, I: Id>(
        &self,
        entity: &'static str,
        table: &str,
        id: &str,
        body: &str,
        w: Where,
        page: &PageRequest<I>,
    ) -> Result<List<T>, StoreError> {
        let probe = w.clone().probe(table, id, page);
        let (sql, args) = w.page(&format!("SELECT {id}, {body} FROM {table}"), id, page);
        let rows = bind(sqlx::query(&sql), &args).fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(|r| decode(entity, r.try_get(0)?, r.try_get(1)?))
            .collect::<Result<Vec<T>, StoreError>>()?;
        let other_side = match probe {
            Some((sql, args)) => bind(sqlx::query(&sql), &args)
                .fetch_optional(&self.pool)
                .await?
                .is_some(),
            None => false,
        };
        Ok(page.build(items, other_side))
    }
}
