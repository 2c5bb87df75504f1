"""The official Python SDK (metorial 2.6.0) against a running `switchboard serve`.

Usage: python python_sdk.py BASE_URL API_KEY

Drives session templates, template providers, tools and setup sessions through
the SDK's own endpoints and mappers, and fails (exit 1) on the first call that
raises or returns an object missing what the SDK reads.
"""
import sys
from datetime import datetime, timedelta, timezone

from metorial import Metorial

base, key = sys.argv[1], sys.argv[2]
m = Metorial(api_key=key, api_host=base, max_retries=0)
checks = 0


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        raise AssertionError(what)


GITHUB = {"provider_deployment_id": "pde_GhCloud1aBcDeFgH", "provider_auth_config_id": "pac_GhOauth8hJkLmNp"}
LINEAR = {"provider_config_id": "pcf_LnDefault6fGhJ"}

# Session templates.
st = m.session_templates
t = st.create(name="Engineering", description="GitHub and Linear", metadata={"team": "eng"},
              providers=[dict(GITHUB, tool_filters={"tool_keys": ["list_issues", "create_issue"]}), LINEAR])
check(t.id.startswith("stm_") and len(t.providers) == 2, "create template")
check(t.providers[0].deployment.id == "pde_GhCloud1aBcDeFgH", "deployment preview")
got = st.get(t.id)
check(got.id == t.id and got.name == "Engineering" and got.metadata == {"team": "eng"}, "get template")
upd = st.update(t.id, name="Eng", description="renamed")
check(upd.name == "Eng" and upd.description == "renamed", "update template")
tools = st.list_tools(t.id)
keys = [tool.key for tool in tools.items]
check(keys[:2] == ["list_issues", "create_issue"] and "get_issue" in keys, f"tools {keys}")
check(all(tool.input_schema is not None for tool in tools.items), "tool schemas")

others = [st.create(name=f"t{i}", providers=[LINEAR]) for i in range(3)]
page = st.list(limit=2)
check(len(page.items) == 2 and page.pagination.has_more_after, "first page")
rest = st.list(limit=2, after=page.items[-1].id)
check(len(rest.items) == 2 and rest.pagination.has_more_before, "next page")
by_provider = st.list(provider_id="pro_Gh7kQm2xVb9TnR4w")
check([x.id for x in by_provider.items] == [t.id], "filter by provider")
by_ids = st.list(id=[others[0].id, others[2].id])
check({x.id for x in by_ids.items} == {others[0].id, others[2].id}, "filter by ids")

# Template providers.
sp = st.providers
p = sp.create(session_template_id=others[0].id, provider_deployment_id="pde_SlCloud3cDeFgHjK",
              tool_filters=[{"type": "tool_regex", "pattern": "^(list|get)_"}])
check(p.id.startswith("stp_") and p.tool_filter is not None, "create template provider")
p2 = sp.update(p.id, tool_filters={"type": "tool_keys", "keys": ["send_message"]})
check(p2.tool_filter["filters"][0]["keys"] == ["send_message"], "update template provider")
listed = sp.list(session_template_id=others[0].id)
check({x.id for x in listed.items} == {p.id, others[0].providers[0].id}, "list template providers")
check(sp.get(p.id).id == p.id, "get template provider")
gone = sp.delete(p.id)
check(gone.status == "archived", "delete template provider")
archived = st.delete(others[1].id)
check(archived.status == "archived" and archived.providers == [], "delete template")
check(others[1].id not in [x.id for x in st.list(limit=100).items], "archived hidden")
check(others[1].id in [x.id for x in st.list(status="archived").items], "archived listed when asked")

# Setup sessions.
ss = m.integrations.setup_sessions
# The SDK hands `expires_at` to `requests` as is, which cannot encode a
# datetime: send the RFC 3339 text the API documents.
expires = (datetime.now(timezone.utc) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
s = ss.create(integration_id="int_DevTools2mNpQrStU", name="Acme", metadata={"customer": "acme"},
              expires_at=expires, redirect_url="https://acme.example/done",
              configuration={"tool_filters": {"enabled": True}, "ui": {"layout": "side"}})
# This SDK version maps no `steps`; it reads the rest.
check(s.id.startswith("iss_") and s.status == "pending", "create setup session")
check(s.integration_id == "int_DevTools2mNpQrStU" and s.expires_at is not None, "setup session fields")
check("client_secret=" in s.url, "setup url")
check(s.integration_instance is not None and s.integration_instance.providers == [], "draft instance")
check(ss.get(s.id).id == s.id, "get setup session")
sessions = ss.list(status="pending", integration_id="int_DevTools2mNpQrStU")
check([x.id for x in sessions.items] == [s.id], "list setup sessions")

print(f"python sdk: {checks} checks passed against {base}")
