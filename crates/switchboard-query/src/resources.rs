//! The three lists of the contract, their filters and resources.

use switchboard_model::enums::{SetupSessionListStatus, TemplateListStatus};
use switchboard_model::id;

use crate::__filter as filter;
use crate::params::DateRange;

filter! {
    /// Filters of `GET /session-templates`. Without `status`, only active templates are listed.
    pub struct SessionTemplateFilter for SessionTemplates ("session-templates", id::SessionTemplateId) {
        /// `status`
        status: Vec<TemplateListStatus>,
        /// `id`
        id: Vec<id::SessionTemplateId>,
        /// Templates used by these sessions.
        session_id: Vec<id::SessionId>,
        /// Templates used by these session providers.
        session_provider_id: Vec<id::SessionProviderId>,
        /// Templates with these providers.
        provider_id: Vec<id::ProviderId>,
        /// Templates with these deployments.
        provider_deployment_id: Vec<id::ProviderDeploymentId>,
        /// Templates with these configs.
        provider_config_id: Vec<id::ProviderConfigId>,
        /// Templates with these auth configs.
        provider_auth_config_id: Vec<id::ProviderAuthConfigId>,
        /// Creation time.
        created_at: Option<DateRange>,
        /// Last update time.
        updated_at: Option<DateRange>,
    }
}

filter! {
    /// Filters of `GET /session-template-providers`.
    pub struct SessionTemplateProviderFilter for SessionTemplateProviders ("session-template-providers", id::SessionTemplateProviderId) {
        /// `status`
        status: Vec<TemplateListStatus>,
        /// `id`
        id: Vec<id::SessionTemplateProviderId>,
        /// Providers of these templates.
        session_template_id: Vec<id::SessionTemplateId>,
        /// Of these providers.
        provider_id: Vec<id::ProviderId>,
        /// With these deployments.
        provider_deployment_id: Vec<id::ProviderDeploymentId>,
        /// With these configs.
        provider_config_id: Vec<id::ProviderConfigId>,
        /// With these auth configs.
        provider_auth_config_id: Vec<id::ProviderAuthConfigId>,
        /// Creation time.
        created_at: Option<DateRange>,
        /// Last update time.
        updated_at: Option<DateRange>,
    }
}

filter! {
    /// Filters of `GET /integration-setup-sessions`.
    pub struct SetupSessionFilter for IntegrationSetupSessions ("integration-setup-sessions", id::IntegrationSetupSessionId) {
        /// `status`
        status: Vec<SetupSessionListStatus>,
        /// `id`
        id: Vec<id::IntegrationSetupSessionId>,
        /// Sessions of these integrations.
        integration_id: Vec<id::IntegrationId>,
        /// Sessions of these instances.
        integration_instance_id: Vec<id::IntegrationInstanceId>,
        /// Creation time.
        created_at: Option<DateRange>,
        /// Last update time.
        updated_at: Option<DateRange>,
    }
}
