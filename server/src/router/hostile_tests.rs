//! Hostile input through the whole router, on a real SQLite file: every registered server
//! function, signed in as root, gets a body that is not form-encoded, missing and wrongly typed
//! arguments, and a body over the limit. The answer must be a readable 4xx: never a 500, a panic
//! or a hang. The list of functions comes from the server function registry, so a new one is
//! covered without being named here. Injection-shaped text, sessions and cross-site requests are
//! in the sibling `hostile_tests_*` modules, which share this module's fixture.

use std::net::SocketAddr;
use std::time::Duration;

use app::ssr::{AppState, CookieConfig};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::response::Response;
use http::{Method, Request, StatusCode};
use iam::{Iam, UnixTime};
use leptos::prelude::LeptosOptions;
use tower::ServiceExt as _;

pub(super) const ROOT_EMAIL: &str = "root@example.com";
pub(super) const ROOT_PASSWORD: &str = "Correct-horse-9-battery";

pub(super) struct Fixture {
    pub(super) _dir: tempfile::TempDir,
    pub(super) state: AppState,
    /// `Cookie` header value of a root session.
    pub(super) root: String,
}

pub(super) async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("hostile.db").display());
    // Sign-ins are not what these tests are about: no per-address limit.
    let iam = Iam::connect(&url)
        .await
        .unwrap()
        .with_sign_ins_per_minute(None);
    iam.create_root(ROOT_EMAIL, ROOT_PASSWORD, UnixTime::now())
        .await
        .unwrap();
    let state = AppState {
        leptos_options: LeptosOptions::builder().output_name("portcullis").build(),
        iam,
        cookies: CookieConfig { secure: false },
        public_url: None,
    };
    let mut fx = Fixture {
        _dir: dir,
        state,
        root: String::new(),
    };
    fx.root = fx.sign_in_root(None).await;
    fx
}

impl Fixture {
    pub(super) fn cookie_name(&self) -> &'static str {
        self.state.cookies.name()
    }

    /// Signs root in through `/api/sign_in_root`, sending `cookie` if given; the new session's
    /// `Cookie` header value.
    pub(super) async fn sign_in_root(&self, cookie: Option<&str>) -> String {
        let body = form(&[("email", ROOT_EMAIL), ("password", ROOT_PASSWORD)]);
        let response = self.post_form("/api/sign_in_root", cookie, &body).await;
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "root sign-in: {}",
            response.status()
        );
        self.session_cookie(&response)
            .expect("sign-in sets the session cookie")
    }

    /// The `name=value` the response's `Set-Cookie` stores, if it stores a session.
    pub(super) fn session_cookie(&self, response: &Response) -> Option<String> {
        let prefix = format!("{}=", self.cookie_name());
        response
            .headers()
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|v| v.starts_with(&prefix) && v.len() > prefix.len())
            .map(str::to_owned)
    }

    pub(super) async fn send(&self, mut request: Request<Body>) -> Response {
        if request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_none()
        {
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        }
        let call = super::router(self.state.clone(), Default::default()).oneshot(request);
        // A hang is a failure too.
        tokio::time::timeout(Duration::from_secs(30), call)
            .await
            .expect("the router answered within 30 s")
            .unwrap()
    }

    /// A server function POST as the console's JavaScript sends it (JSON answers, no redirect
    /// to the form).
    pub(super) async fn post_form(&self, path: &str, cookie: Option<&str>, body: &str) -> Response {
        self.post(
            path,
            cookie,
            "application/x-www-form-urlencoded",
            body.to_owned(),
        )
        .await
    }

    pub(super) async fn post(
        &self,
        path: &str,
        cookie: Option<&str>,
        content_type: &str,
        body: impl Into<Body>,
    ) -> Response {
        let mut request = Request::post(path)
            .header("content-type", content_type)
            .header("accept", "application/json");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        self.send(request.body(body.into()).unwrap()).await
    }

    pub(super) async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        let mut request = Request::get(path).header("accept", "application/json");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A page as a browser asks for it.
    pub(super) async fn page(&self, path: &str, cookie: &str) -> (StatusCode, String) {
        let request = Request::get(path)
            .header("accept", "text/html")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap();
        let response = self.send(request).await;
        let status = response.status();
        (status, text(response).await)
    }
}

/// `application/x-www-form-urlencoded` of `pairs`.
pub(super) fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

pub(super) fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

pub(super) async fn text(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The status and body, with the body checked to be a readable error: the console's JSON error
/// with a message, or plain text, and no panic or debug dump.
pub(super) async fn refusal(what: &str, response: Response) -> (StatusCode, String) {
    checked_refusal(what, response)
        .await
        .unwrap_or_else(|problem| panic!("{problem}"))
}

/// [`refusal`], with the problem as an error to collect.
pub(super) async fn checked_refusal(
    what: &str,
    response: Response,
) -> Result<(StatusCode, String), String> {
    let status = response.status();
    // The router's own 405 has no body; its `Allow` header says what to do.
    if status == StatusCode::METHOD_NOT_ALLOWED && response.headers().contains_key("allow") {
        return Ok((status, String::new()));
    }
    let body = text(response).await;
    if !status.is_client_error() {
        return Err(format!("{what}: want a 4xx, got {status}: {body}"));
    }
    if body.trim().is_empty() {
        return Err(format!("{what}: {status} with an empty body"));
    }
    if body.contains("panicked") || body.contains("RUST_BACKTRACE") {
        return Err(format!("{what}: {body}"));
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(&body)
        && readable_message(&json).trim().is_empty()
    {
        return Err(format!("{what}: a JSON error without a message: {body}"));
    }
    Ok((status, body))
}

/// The human-readable text of a JSON error of the console (`{"Invalid": [{"field", "message"}]}`,
/// `{"NotFound": "..."}`, ...) or of the API (`{"error": {"message"}}`).
pub(super) fn readable_message(json: &serde_json::Value) -> String {
    match json {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) if k == "message" => s.clone(),
                _ => readable_message(v),
            })
            .collect::<Vec<_>>()
            .join(" "),
        serde_json::Value::Array(items) => items
            .iter()
            .map(readable_message)
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// Every registered server function: path and method.
pub(super) fn server_functions() -> Vec<(String, Method)> {
    let mut all: Vec<(String, Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// Server functions without arguments, or whose arguments all have defaults: any body decodes,
/// so a malformed one is not an error, and the function runs. They are sent only what cannot
/// decode (a body over the limit, or not UTF-8).
pub(super) const NO_REQUIRED_ARGUMENTS: &[&str] = &[
    "/api/account_settings",
    "/api/console_permissions",
    "/api/dashboard",
    "/api/delete_account_alias",
    "/api/password_change_context",
    "/api/reset_password_policy",
    "/api/sign_out",
    "/api/whoami",
];

/// The number of `#[server(` functions in `app/src/api`, counted in the source.
fn server_functions_in_the_source() -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .map(|path| {
                if path.is_dir() {
                    count(&path)
                } else if path.extension().is_some_and(|e| e == "rs") {
                    std::fs::read_to_string(&path)
                        .unwrap()
                        .matches("#[server(prefix")
                        .count()
                } else {
                    0
                }
            })
            .sum()
    }
    count(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/api"))
}

#[tokio::test]
async fn the_registry_lists_every_server_function() {
    let all = server_functions();
    // A function the registry missed would go untested by the loops below.
    assert_eq!(all.len(), server_functions_in_the_source(), "{all:?}");
    for path in NO_REQUIRED_ARGUMENTS
        .iter()
        .chain(app::api::PUBLIC_PATHS)
        .chain(app::api::PASSWORD_CHANGE_PATHS)
    {
        assert!(
            all.iter().any(|(p, _)| p == path),
            "{path} is not a server function"
        );
    }
}

/// What a malformed call of every server function gets: for each, the case and its answer.
#[tokio::test]
async fn every_server_function_refuses_malformed_input_with_a_4xx() {
    let fx = fixture().await;
    let root = Some(fx.root.as_str());
    let functions = server_functions();
    let mut problems = Vec::new();
    for (path, method) in &functions {
        let required = !NO_REQUIRED_ARGUMENTS.contains(&path.as_str());
        if *method == Method::GET {
            if required {
                for query in ["", "?%ZZ&&==[]]", "?name[=1&offset[]=x"] {
                    let what = format!("GET {path}{query}");
                    let response = fx.get(&format!("{path}{query}"), root).await;
                    problems.extend(checked_refusal(&what, response).await.err());
                }
            }
            // The wrong method is refused by the router, not handled as a call.
            let response = fx.post_form(path, root, "name=x").await;
            let what = format!("POST to GET {path}");
            problems.extend(checked_refusal(&what, response).await.err());
            continue;
        }
        if required {
            let cases: [(&str, &str, &[u8]); 5] = [
                ("JSON", "application/json", br#"{"name": "x", "arn": 1}"#),
                ("an empty form", "application/x-www-form-urlencoded", b""),
                (
                    "broken form encoding",
                    "application/x-www-form-urlencoded",
                    b"%ZZ&&==[]]&name[=1",
                ),
                ("no content type", "", b"\x00\x01\x02 binary"),
                (
                    "multipart",
                    "multipart/form-data; boundary=x",
                    b"--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--x--\r\n",
                ),
            ];
            for (case, content_type, body) in cases {
                let what = format!("POST {path} with {case}");
                let response = fx.post(path, root, content_type, body.to_vec()).await;
                problems.extend(checked_refusal(&what, response).await.err());
            }
        }
        // Not UTF-8: refused before the function runs, whatever its arguments.
        let what = format!("POST {path} with a body that is not UTF-8");
        let body = b"name=\xff\xfe\xfd".to_vec();
        let response = fx
            .post(path, root, "application/x-www-form-urlencoded", body)
            .await;
        problems.extend(checked_refusal(&what, response).await.err());
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Still signed in: none of the above ended the root session.
    assert_eq!(fx.get("/api/whoami", root).await.status(), StatusCode::OK);
}

/// A body over the limit gets 413 before the function runs, announced by `Content-Length` or
/// streamed without one.
#[tokio::test]
async fn every_server_function_refuses_a_body_over_the_limit() {
    const LIMIT: usize = crate::router::MAX_BODY_BYTES;
    let fx = fixture().await;
    let root = Some(fx.root.as_str());
    let oversized = format!("name={}", "a".repeat(LIMIT));
    let mut problems = Vec::new();
    for (path, method) in server_functions() {
        if method != Method::POST {
            continue;
        }
        let response = fx.post_form(&path, root, &oversized).await;
        let what = format!("{path} with {} bytes", oversized.len());
        match checked_refusal(&what, response).await {
            Ok((StatusCode::PAYLOAD_TOO_LARGE, body)) if body.contains("1 MiB") => {}
            Ok((status, body)) => problems.push(format!("{what}: {status} {body}")),
            Err(problem) => problems.push(problem),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Streamed in chunks without a Content-Length, over a real connection: cut off at the
    // limit, not read to the end.
    let status = chunked_post_over_the_limit(&fx, "/api/create_group").await;
    assert_eq!(status, 413);
    // The largest legal policy document (6,144 characters) is well inside the limit.
    let document = legal_document_of(6_144);
    let body = form(&[("name", "Biggest"), ("document", &document)]);
    let response = fx.post_form("/api/create_policy", root, &body).await;
    assert!(
        response.status().is_success(),
        "{}: {}",
        response.status(),
        text(response).await
    );
}

/// A policy document of exactly `chars` characters.
pub(super) fn legal_document_of(chars: usize) -> String {
    let template = |pad: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{pad}"}}]}}"#
        )
    };
    let bare = template("").chars().count();
    template(&"a".repeat(chars - bare))
}

/// POSTs a form of 1 MiB and more in `Transfer-Encoding: chunked` to a served router, as root;
/// the status code of the answer.
async fn chunked_post_over_the_limit(fx: &Fixture, path: &str) -> u16 {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = super::router(fx.state.clone(), Default::default())
        .into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let (mut reader, mut writer) = tokio::net::TcpStream::connect(addr)
        .await
        .unwrap()
        .into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\nCookie: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
        fx.root
    );
    // Written beside the reading: the server may answer and stop reading before the end.
    let writing = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let chunk = "c".repeat(65_536);
        let mut sent = 0;
        while sent <= crate::router::MAX_BODY_BYTES + 65_536 {
            let data = if sent == 0 {
                format!("name={}", &chunk[5..])
            } else {
                chunk.clone()
            };
            writer
                .write_all(format!("{:x}\r\n{data}\r\n", data.len()).as_bytes())
                .await?;
            sent += data.len();
        }
        writer.write_all(b"0\r\n\r\n").await
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), async {
        let mut buf = [0u8; 4096];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            }
        }
    });
    read.await.expect("an answer within 30 s");
    writing.abort();
    server.abort();
    let answer = String::from_utf8_lossy(&answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {answer:?}"))
}

/// Arguments of the wrong type, each refused with a 400 whose message names the server function
/// (serde_qs does not say which argument had the wrong type) or the argument the function itself
/// checks.
#[tokio::test]
async fn wrongly_typed_arguments_are_refused() {
    let fx = fixture().await;
    let root = Some(fx.root.as_str());
    let gets = [
        "/api/list_users?query=&offset=abc",
        "/api/list_users?query=&offset=-1",
        "/api/list_users?query=&offset=99999999999",
        "/api/list_groups?query=&offset=1.5",
        "/api/list_policies?query=&policy_type=all&page=x",
        "/api/generate_policy?arn=x&period_days=ten&by_action=true",
        "/api/generate_policy?arn=x&period_days=10&by_action=maybe",
        "/api/service_last_accessed?kind=Nope&id=x",
        "/api/lookup_events?query=abc",
        "/api/get_user?name[]=a&name[]=b",
    ];
    for path in gets {
        let (status, body) = refusal(path, fx.get(path, root).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        let function = path.split('?').next().unwrap_or_default();
        assert!(
            body.contains(&format!("the arguments of `{function}` could not be read")),
            "{path}: {body}"
        );
    }
    let posts = [
        (
            "/api/set_console_password",
            "name=x&enable=maybe&password_type=custom",
            "`/api/set_console_password`",
        ),
        (
            "/api/put_group_inline_policy",
            "name=x&policy_name=y&document=z&editing=2",
            "`/api/put_group_inline_policy`",
        ),
        ("/api/tag_user", "name=x&key[a]=b", "`/api/tag_user`"),
        (
            "/api/sign_in_root",
            "email=a&email=b&password=x",
            "`/api/sign_in_root`",
        ),
        // Text the function itself decodes: refused at the argument.
        (
            "/api/create_users",
            "draft=not%20json",
            "\"field\":\"users\"",
        ),
        (
            "/api/create_users",
            "draft=%7B%22names%22%3A5%7D",
            "\"field\":\"users\"",
        ),
        (
            "/api/create_policy",
            "name=P&document=not%20json",
            "\"field\":\"document\"",
        ),
        (
            "/api/create_policy",
            "name=P&document=%7B%7D&tags=%5B1%2C2%5D",
            "\"field\":\"tags\"",
        ),
        (
            "/api/update_password_policy",
            "minimum_password_length=abc",
            "\"field\":\"minimum_password_length\"",
        ),
    ];
    for (path, body, named) in posts {
        let what = format!("{path} {body}");
        let (status, answer) = refusal(&what, fx.post_form(path, root, body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
        assert!(answer.contains(named), "{what}: {answer}");
    }
    // Checks of the functions' own, answered 400 as well.
    let (status, body) = refusal(
        "complete_setup",
        fx.post_form(
            "/api/complete_setup",
            None,
            "token=x&email=a%40b.c&password=Aa-1aaaaaaaaaa&confirm_password=other",
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("confirm_password"), "{body}");
    let path = "/api/check_create_permission?action=%3Cscript%3E";
    let (status, body) = refusal(path, fx.get(path, root).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("`<script>` cannot be checked"), "{body}");
    // A missing argument is named.
    let (_, body) = refusal("no name", fx.post_form("/api/create_group", root, "").await).await;
    assert!(
        body.contains("\"field\":\"name\"") && body.contains("missing field `name`"),
        "{body}"
    );
}
