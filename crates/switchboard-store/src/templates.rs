//! Session templates and their providers.

use std::collections::HashMap;

use switchboard_model::id::{Id, SessionTemplateId, SessionTemplateProviderId};
use switchboard_model::{List, SessionTemplate, SessionTemplateProvider};
use switchboard_query::page::PageRequest;
use switchboard_query::{ListQuery, SessionTemplateProviders, SessionTemplates};

use crate::backend::{on_conn, on_pool, query, query_as};
use crate::sql::{Arg, Where, bind, bind_as};
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

/// Stores a new provider in transaction `$tx` (a macro: its body is
/// compiled once per backend, in the caller's).
macro_rules! insert_provider {
    ($tx:expr, $named:expr, $tenant:expr, $p:expr) => {{
        let p: &SessionTemplateProvider = $p;
        query(
            "INSERT INTO session_template_providers (instance_id, id, session_template_id, provider_id, \
             deployment_id, config_id, auth_config_id, status, created_at, updated_at, body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            $named,
        )
        .bind($tenant.id)
        .bind(p.id.to_canonical().as_str())
        .bind(p.session_template_id.to_canonical().as_str())
        .bind(p.provider_id.as_str())
        .bind(p.deployment.id.to_canonical().as_str())
        .bind(p.config.id.as_str())
        .bind(
            p.auth_config
                .as_ref()
                .and_then(|a| a.id())
                .map(|id| id.as_str().to_owned()),
        )
        .bind(p.status.as_str())
        .bind(p.created_at.as_millis())
        .bind(p.updated_at.as_millis())
        .bind(encode(p))
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Writes `$p` over `$read` in transaction `$tx`: a compare-and-swap on the
/// whole stored object, refused as a conflict if the stored provider is no
/// longer `$read`.
macro_rules! swap_provider {
    ($tx:expr, $named:expr, $tenant:expr, $p:expr, $read:expr) => {{
        let (p, read): (&SessionTemplateProvider, &SessionTemplateProvider) = ($p, $read);
        let done = query(
            "UPDATE session_template_providers SET status = $1, updated_at = $2, body = $3 \
             WHERE instance_id = $4 AND id = $5 AND body = $6",
            $named,
        )
        .bind(p.status.as_str())
        .bind(p.updated_at.as_millis())
        .bind(encode(p))
        .bind($tenant.id)
        .bind(p.id.to_canonical().as_str())
        .bind(encode(read))
        .execute(&mut *$tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict {
                entity: PROVIDER,
                id: p.id.as_str().to_owned(),
            });
        }
    }};
}

/// What a template's revision is: raised by every write to the template or
/// one of its providers, so a copy held elsewhere (a cache) can be checked
/// against the database with one indexed read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Revision(i64);

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
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for t in templates {
                query(
                    "INSERT INTO session_templates (instance_id, id, status, created_at, updated_at, body) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    self.named,
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
                    insert_provider!(tx, self.named, tenant, p);
                }
            }
            tx.commit().await?;
            Ok(())
        })
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
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = query(
                "UPDATE session_templates SET status = $1, updated_at = $2, body = $3, revision = revision + 1 \
                 WHERE instance_id = $4 AND id = $5 AND body = $6",
                self.named,
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
                    swap_provider!(tx, self.named, tenant, p, before);
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// A template with its active providers, sorted by id (one query).
    pub async fn template(
        &self,
        tenant: &Tenant,
        id: &SessionTemplateId,
    ) -> Result<Option<SessionTemplate>, StoreError> {
        Ok(self.template_with_revision(tenant, id).await?.map(|(t, _)| t))
    }

    /// [`Store::template`] and the revision it was read at (one query: the
    /// two agree).
    pub async fn template_with_revision(
        &self,
        tenant: &Tenant,
        id: &SessionTemplateId,
    ) -> Result<Option<(SessionTemplate, Revision)>, StoreError> {
        let id = id.to_canonical();
        on_conn!(self, |c| {
            let rows: Vec<(String, String, i64)> = query_as(
                "SELECT id, body, revision, 0 AS part FROM session_templates WHERE instance_id = $1 AND id = $2 \
                 UNION ALL SELECT id, body, 0, 1 AS part FROM session_template_providers \
                 WHERE instance_id = $1 AND session_template_id = $2 AND status = 'active' ORDER BY part, id",
                self.named,
            )
            .bind(tenant.id)
            .bind(id.as_str())
            .fetch_all(&mut *c)
            .await?;
            let mut rows = rows.iter();
            let Some((_, body, revision)) = rows.next() else {
                return Ok(None);
            };
            let mut t: SessionTemplate = decode(TEMPLATE, id.as_str(), body)?;
            t.providers = rows
                .map(|(pid, body, _)| decode(PROVIDER, pid, body))
                .collect::<Result<_, StoreError>>()?;
            Ok(Some((t, Revision(*revision))))
        })
    }

    /// A template's revision now (`None`: no such template): one indexed
    /// read, to check a copy held since [`Store::template_with_revision`].
    pub async fn template_revision(
        &self,
        tenant: &Tenant,
        id: &SessionTemplateId,
    ) -> Result<Option<Revision>, StoreError> {
        let id = id.to_canonical();
        on_conn!(self, |c| {
            let row: Option<(i64,)> = query_as(
                "SELECT revision FROM session_templates WHERE instance_id = $1 AND id = $2",
                self.named,
            )
            .bind(tenant.id)
            .bind(id.as_str())
            .fetch_optional(&mut *c)
            .await?;
            Ok(row.map(|(r,)| Revision(r)))
        })
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
        let rows: Vec<(String, String, String)> =
            on_conn!(self, |c| Ok(bind_as(query_as(&sql, self.named), &args)
                .fetch_all(&mut *c)
                .await?))?;
        let mut by_template: HashMap<String, Vec<SessionTemplateProvider>> = HashMap::new();
        for (id, template, body) in rows {
            let p = decode(PROVIDER, &id, &body)?;
            by_template.entry(template).or_default().push(p);
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
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let active = query(
                "UPDATE session_templates SET revision = revision + 1 \
                 WHERE instance_id = $1 AND id = $2 AND status = 'active'",
                self.named,
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
            insert_provider!(tx, self.named, tenant, p);
            tx.commit().await?;
            Ok(())
        })
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
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            swap_provider!(tx, self.named, tenant, p, read);
            query(
                "UPDATE session_templates SET revision = revision + 1 WHERE instance_id = $1 AND id = $2",
                self.named,
            )
            .bind(tenant.id)
            .bind(p.session_template_id.to_canonical().as_str())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A template provider, whatever its status.
    pub async fn template_provider(
        &self,
        tenant: &Tenant,
        id: &SessionTemplateProviderId,
    ) -> Result<Option<SessionTemplateProvider>, StoreError> {
        let id = id.to_canonical();
        let row: Option<(String,)> = on_conn!(self, |c| {
            Ok(query_as(
                "SELECT body FROM session_template_providers WHERE instance_id = $1 AND id = $2",
                self.named,
            )
            .bind(tenant.id)
            .bind(id.as_str())
            .fetch_optional(&mut *c)
            .await?)
        })?;
        row.map(|(body,)| decode(PROVIDER, id.as_str(), &body))
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
        let (rows, other_side): (Vec<(String, String)>, bool) = on_conn!(self, |c| {
            let rows = bind_as(query_as(&sql, self.named), &args)
                .fetch_all(&mut *c)
                .await?;
            let other_side = match &probe {
                Some((sql, args)) => bind(query(sql, self.named), args)
                    .fetch_optional(&mut *c)
                    .await?
                    .is_some(),
                None => false,
            };
            Ok((rows, other_side))
        })?;
        let items = rows
            .iter()
            .map(|(id, body)| decode(entity, id, body))
            .collect::<Result<Vec<T>, StoreError>>()?;
        Ok(page.build(items, other_side))
    }
}
