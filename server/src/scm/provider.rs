//! The providers' REST APIs, as far as an integration needs them: who the token belongs to, and
//! that account's public SSH keys.

use super::net::{self, NetError};
use super::ScmType;
use serde::Deserialize;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProviderError {
    #[error(transparent)]
    Net(#[from] NetError),
    #[error("the provider refused the token")]
    TokenRefused,
    #[error("the provider answered something else than expected")]
    Unexpected,
}

/// The provider account behind a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderUser {
    pub uid: String,
    pub username: String,
    pub email: String,
    pub avatar_url: String,
    pub profile_url: String,
}

/// One public key of the provider account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderKey {
    pub title: String,
    pub key: String,
}

/// The API base of a self-hosted server from its address: GitHub Enterprise serves its API
/// under `/api/v3`, GitLab under `/api/v4`.
pub fn api_base(scm: ScmType, server_url: &str) -> String {
    let server_url = server_url.trim_end_matches('/');
    if scm.is_github() {
        format!("{server_url}/api/v3")
    } else {
        format!("{server_url}/api/v4")
    }
}

#[derive(Deserialize)]
struct GithubUser {
    id: u64,
    login: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    avatar_url: Option<String>,
    #[serde(default)]
    html_url: Option<String>,
}

#[derive(Deserialize)]
struct GitlabUser {
    id: u64,
    username: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    avatar_url: Option<String>,
    #[serde(default)]
    web_url: Option<String>,
}

#[derive(Deserialize)]
struct ListedKey {
    #[serde(default)]
    title: Option<String>,
    key: String,
}

async fn get_json<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> Result<T, ProviderError> {
    let response = client
        .get(url)
        .bearer_auth(token)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|_| NetError::Unreachable)?;
    match response.status().as_u16() {
        200 => {}
        401 | 403 => return Err(ProviderError::TokenRefused),
        _ => return Err(ProviderError::Unexpected),
    }
    let body = net::capped_body(response).await?;
    serde_json::from_slice(&body).map_err(|_| ProviderError::Unexpected)
}

/// Longest provider string kept (names, addresses): a self-hosted server answers what it likes.
const MAX_FIELD_CHARS: usize = 255;

fn capped(value: String) -> String {
    if value.chars().count() <= MAX_FIELD_CHARS {
        value
    } else {
        value.chars().take(MAX_FIELD_CHARS).collect()
    }
}

/// The account the token belongs to.
pub async fn user(
    client: &reqwest::Client,
    scm: ScmType,
    api: &str,
    token: &str,
) -> Result<ProviderUser, ProviderError> {
    let text = |v: Option<String>| capped(v.unwrap_or_default());
    if scm.is_github() {
        let u: GithubUser = get_json(client, &format!("{api}/user"), token).await?;
        Ok(ProviderUser {
            uid: u.id.to_string(),
            username: capped(u.login),
            email: text(u.email),
            avatar_url: text(u.avatar_url),
            profile_url: text(u.html_url),
        })
    } else {
        let u: GitlabUser = get_json(client, &format!("{api}/user"), token).await?;
        Ok(ProviderUser {
            uid: u.id.to_string(),
            username: capped(u.username),
            email: text(u.email),
            avatar_url: text(u.avatar_url),
            profile_url: text(u.web_url),
        })
    }
}

/// The account's public SSH keys (the first 100: more would not be a person's keys).
pub async fn keys(
    client: &reqwest::Client,
    scm: ScmType,
    api: &str,
    token: &str,
) -> Result<Vec<ProviderKey>, ProviderError> {
    // The same path and paging on both providers.
    let _ = scm;
    let listed: Vec<ListedKey> = get_json(client, &format!("{api}/user/keys?per_page=100"), token).await?;
    Ok(listed
        .into_iter()
        .map(|k| ProviderKey {
            title: k.title.unwrap_or_default(),
            key: k.key,
        })
        .collect())
}
