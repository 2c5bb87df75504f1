//! The pages: askama templates (checked at compile time) over values the
//! flow made. Every value is escaped by the template engine.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The 404 page of a wrong secret, no secret and an unknown id: fixed bytes.
pub(crate) const NOT_FOUND: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Link not found</title>\n\
<link rel=\"stylesheet\" href=\"/setup.css\">\n</head>\n<body class=\"layout-box\">\n<main class=\"card\">\n\
<h1>This link does not work</h1>\n<p>The setup link is incomplete or not valid. Ask whoever sent it for a new one.</p>\n\
</main>\n</body>\n</html>\n";

/// A link shown as a button.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) href: String,
    pub(crate) label: String,
}

/// A one-button form (start a step, replace its child).
#[derive(Debug, Clone)]
pub(crate) struct Action {
    pub(crate) action: String,
    pub(crate) token: String,
    pub(crate) label: String,
}

/// A page with a heading and a few sentences.
#[derive(Debug, Template)]
#[template(path = "message.html")]
pub(crate) struct Message {
    pub(crate) title: String,
    pub(crate) layout: &'static str,
    pub(crate) heading: String,
    pub(crate) paragraphs: Vec<String>,
    pub(crate) link: Option<Link>,
}

/// One step on the overview.
#[derive(Debug, Clone)]
pub(crate) struct StepLine {
    pub(crate) provider: String,
    pub(crate) initial: String,
    pub(crate) status: &'static str,
    pub(crate) status_words: &'static str,
    pub(crate) next: String,
    pub(crate) action: Option<Action>,
}

/// The overview.
#[derive(Debug, Template)]
#[template(path = "overview.html")]
pub(crate) struct Overview {
    pub(crate) title: String,
    pub(crate) layout: &'static str,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) status: &'static str,
    pub(crate) status_words: String,
    pub(crate) time_left: Option<String>,
    pub(crate) finish: Option<Link>,
    /// Where the page sends the browser on its own, right after the last step.
    pub(crate) refresh: Option<String>,
    pub(crate) steps: Vec<StepLine>,
}

/// One option of a select.
#[derive(Debug, Clone)]
pub(crate) struct OptionView {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// One field (or fieldset boundary) of a form.
#[derive(Debug, Clone)]
pub(crate) struct FieldView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) help: Option<String>,
    pub(crate) required: bool,
    pub(crate) kind: &'static str,
    pub(crate) input_type: &'static str,
    pub(crate) value: String,
    pub(crate) values: Vec<String>,
    pub(crate) checked: bool,
    pub(crate) options: Vec<OptionView>,
    pub(crate) errors: Vec<String>,
    pub(crate) min: Option<String>,
    pub(crate) max: Option<String>,
    pub(crate) step: Option<&'static str>,
    pub(crate) rows: u32,
    /// Ids of the help and error texts, for `aria-describedby`.
    pub(crate) described: String,
}

/// A form generated from a schema.
#[derive(Debug, Clone)]
pub(crate) struct FormView {
    pub(crate) action: String,
    pub(crate) token: String,
    pub(crate) heading: String,
    pub(crate) errors: Vec<String>,
    pub(crate) fields: Vec<FieldView>,
    pub(crate) submit: String,
}

/// A list of existing things to pick one of.
#[derive(Debug, Clone)]
pub(crate) struct Choices {
    pub(crate) action: String,
    pub(crate) token: String,
    pub(crate) heading: String,
    pub(crate) options: Vec<OptionView>,
    pub(crate) submit: String,
}

/// The OAuth sign-in button.
#[derive(Debug, Clone)]
pub(crate) struct OAuthButton {
    pub(crate) action: String,
    pub(crate) token: String,
    pub(crate) explain: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) label: String,
}

/// One tool on review.
#[derive(Debug, Clone)]
pub(crate) struct ToolView {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) allowed: bool,
    pub(crate) why: String,
}

/// The tool review.
#[derive(Debug, Clone)]
pub(crate) struct ToolsView {
    pub(crate) action: String,
    pub(crate) token: String,
    pub(crate) errors: Vec<String>,
    pub(crate) tools: Vec<ToolView>,
}

/// A step's page.
#[derive(Debug, Template)]
#[template(path = "step.html")]
pub(crate) struct StepPage {
    pub(crate) title: String,
    pub(crate) layout: &'static str,
    pub(crate) back: String,
    pub(crate) number: usize,
    pub(crate) total: usize,
    pub(crate) stage_words: &'static str,
    pub(crate) provider: String,
    pub(crate) initial: String,
    pub(crate) notices: Vec<String>,
    pub(crate) oauth: Option<OAuthButton>,
    pub(crate) form: Option<FormView>,
    pub(crate) choices: Option<Choices>,
    pub(crate) tools: Option<ToolsView>,
    pub(crate) link: Option<Link>,
}

/// A rendered template as an HTML answer.
pub(crate) fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut r = (status, body).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
        Err(e) => {
            tracing::error!(cause = %e, "a page did not render");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page did not render").into_response()
        }
    }
}

/// A message page.
pub(crate) fn message(
    status: StatusCode,
    heading: &str,
    paragraphs: &[&str],
    link: Option<Link>,
) -> Response {
    html(
        status,
        &Message {
            title: heading.to_owned(),
            layout: "box",
            heading: heading.to_owned(),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            link,
        },
    )
}

/// A failure of the server itself: logged, and a page that says so.
pub(crate) fn failure(cause: &dyn std::fmt::Display) -> Response {
    tracing::error!(%cause, "a setup page failed");
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        &["The server could not complete this step. Nothing was lost: go back and try again."],
        None,
    )
}

/// The refusal of a form without its token, or with another session's or step's.
pub(crate) fn forbidden_form(back: Option<Link>) -> Response {
    message(
        StatusCode::FORBIDDEN,
        "This form was not accepted",
        &[
            "The form did not come from this setup page (it has no valid form token), so nothing was changed.",
            "Open the setup page again and submit the form from there.",
        ],
        back,
    )
}
