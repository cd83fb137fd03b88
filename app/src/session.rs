//! The signed-in user, shared through a context signal.
//!
//! Loaded once from `GET /api/me` when the app starts, set from the login
//! answer, cleared on logout. Everything role-aware (navigation, protected
//! routes) reads it.

pub use domain::api::Area;
use domain::api::{Me, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// What we know about the visitor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `GET /api/me` has not answered yet.
    Loading,
    Anonymous,
    User(Me),
}

#[derive(Clone, Copy)]
pub struct Session {
    pub auth: RwSignal<Auth>,
}

impl Session {
    /// Creates the session, provides it as context and starts loading `/api/me`.
    pub fn provide() -> Self {
        let session = Session {
            auth: RwSignal::new(Auth::Loading),
        };
        provide_context(session);
        session.refresh();
        session
    }

    /// Re-reads `GET /api/me` (401 or a failed request → anonymous).
    pub fn refresh(self) {
        spawn_local(async move {
            let auth = match api::me().await {
                Ok(Some(user)) => Auth::User(user),
                Ok(None) | Err(_) => Auth::Anonymous,
            };
            self.auth.set(auth);
        });
    }

    pub fn set_user(self, user: Me) {
        self.auth.set(Auth::User(user));
    }

    /// Ends the session on the server, then reloads the app on `/`.
    ///
    /// A full page load (rather than a client-side navigation) guarantees
    /// that nothing of the previous user stays in memory, and avoids the
    /// protected page we are leaving redirecting to `/entrar`.
    pub async fn logout(self) {
        // Even if the server call fails (e.g. the session already expired),
        // the visitor ends up anonymous: /api/me answers 401 after reload.
        let _ = api::logout().await;
        if window().location().set_href("/").is_err() {
            self.auth.set(Auth::Anonymous);
        }
    }

    /// The role of the signed-in user (`None` while loading or anonymous).
    pub fn role(self) -> Option<Role> {
        self.auth.with(|a| match a {
            Auth::User(u) => Some(u.role),
            _ => None,
        })
    }

    /// `None` while loading, then whether someone is signed in
    /// (what `Guarded` decides on).
    pub fn signed_in(self) -> Option<bool> {
        self.auth.with(|a| match a {
            Auth::Loading => None,
            Auth::Anonymous => Some(false),
            Auth::User(_) => Some(true),
        })
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where a role lands after signing in.
pub fn home_for(role: Role) -> &'static str {
    match role {
        Role::Client => "/mis-tickets",
        Role::Agent | Role::Admin => "/cola",
    }
}

/// The area a path belongs to, if it is a protected one.
pub fn area_of_path(path: &str) -> Option<Area> {
    match path.trim_end_matches('/') {
        "/mis-tickets" | "/nuevo-ticket" | "/mi-poliza" => Some(Area::Client),
        "/cola" => Some(Area::Staff),
        // KB authoring: /articulos, /articulos/nuevo, /articulos/editar/{slug}, …
        p if p == "/articulos" || p.starts_with("/articulos/") => Some(Area::Staff),
        "/admin" => Some(Area::Admin),
        p if p.starts_with("/admin/") => Some(Area::Admin),
        "/cuenta" => Some(Area::SignedIn),
        p if p.starts_with("/tickets/") => Some(Area::SignedIn),
        _ => None,
    }
}

/// Where to go after signing in: the `next` page if this role may see it,
/// otherwise the role's home.
pub fn landing_after_login(role: Role, next: Option<&str>) -> String {
    match next.and_then(|n| area_of_path(n).map(|a| (n, a))) {
        Some((next, area)) if area.allows(role) => next.to_string(),
        _ => home_for(role).to_string(),
    }
}
