//! Code splitting (issue 14): each route's page lives in one of a few coarse groups, and a
//! group is a separate WASM chunk downloaded the first time one of its routes is shown.
//!
//! `cargo xtask build` compiles the app with the `split` feature and runs `wasm-split-cli`
//! on it; every function declared with [`split_views!`] under the same group name ends up
//! in that group's chunk (code shared by two groups goes to a shared chunk, loaded with
//! either). Without the feature (`cargo xtask build --unsplit`, for debugging) the same
//! functions are plain calls and the app is one module.
//!
//! A chunk that fails to download reaches [`lazy`]'s error view ("could not be loaded",
//! with a retry button) instead of aborting the app: the split functions are `fallible`
//! and a failed load is not cached, so the retry downloads it again.
use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::i18n::*;

/// A part of the app that could not be downloaded.
#[derive(Debug, Clone, Copy)]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// A view whose code may still have to be downloaded. Boxed, so the loading wrapper is
/// compiled once for every route instead of once per future type.
pub type ViewFuture = Pin<Box<dyn Future<Output = Result<AnyView, ChunkError>>>>;

/// `split_views!(group: name => view_expression; …)` declares `pub fn name() -> ViewFuture`
/// for each entry ([`split_part!`] without arguments); with the `split` feature the view's
/// code is in the chunk `group`.
#[macro_export]
macro_rules! split_views {
    ($group:ident : $($name:ident => $body:expr;)*) => {
        $( $crate::split_part!($group: pub fn $name() { $body }); )*
    };
}

/// `split_fn!(group: vis fn name(arg: Type, …) -> T { body })` declares `vis async fn
/// name(args) -> Result<T, ChunkError>`: with the `split` feature its code is in the chunk
/// `group`, downloaded on the first call (`Err` if it cannot be); without it, a plain call.
#[macro_export]
macro_rules! split_fn {
    ($group:ident : $vis:vis fn $name:ident($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split(
            $group,
            wasm_split_path = ::leptos::wasm_split,
            fallible
        )]
        $vis fn $name($($arg: $ty),*) -> Result<$ret, $crate::lazy::ChunkError> {
            Ok($body)
        }
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<$ret, $crate::lazy::ChunkError> {
            Ok($body)
        }
    };
}

/// `split_part!(group: vis fn name(arg: Type, …) { view })` declares `vis fn name(args) ->
/// ViewFuture` for a part of a page that only some readers need (staff's side of a ticket):
/// with the `split` feature its code is in the chunk `group`, downloaded on first use
/// ([`split_fn!`]). Shown with [`lazy_part`].
#[macro_export]
macro_rules! split_part {
    ($group:ident : $vis:vis fn $name:ident($($arg:ident : $ty:ty),* $(,)?) $body:block) => {
        $vis fn $name($($arg: $ty),*) -> $crate::lazy::ViewFuture {
            $crate::split_fn!($group: fn $name($($arg: $ty),*) -> ::leptos::prelude::AnyView {
                ::leptos::prelude::IntoAny::into_any($body)
            });
            Box::pin($name($($arg),*))
        }
    };
}

/// A part of a page declared with [`split_part!`]: nothing while its chunk downloads (the
/// rest of the page is already there), the "could not be loaded" message with a retry
/// button if the download failed.
pub fn lazy_part(load: impl Fn() -> ViewFuture + 'static) -> AnyView {
    lazy_in(load, || ().into_any())
}

/// Renders the view `load` gives, once its chunk is here: a short "loading" line meanwhile
/// (or `fallback`), the "could not be loaded" message with a retry button if the download
/// failed.
pub fn lazy(load: fn() -> ViewFuture) -> AnyView {
    lazy_or(load, loading)
}

fn loading() -> AnyView {
    let i18n = use_i18n();
    view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any()
}

/// [`lazy`] with another view while the chunk downloads.
pub fn lazy_or(load: fn() -> ViewFuture, fallback: fn() -> AnyView) -> AnyView {
    lazy_in(load, fallback)
}

/// `fallback` while `load`'s chunk downloads, then its view, or the "could not be loaded"
/// message whose retry button calls `load` again.
fn lazy_in(load: impl Fn() -> ViewFuture + 'static, fallback: fn() -> AnyView) -> AnyView {
    let attempt = RwSignal::new(0u32);
    // The browser is single-threaded; views and Suspend ask for `Send`.
    let load = send_wrapper::SendWrapper::new(load);
    view! {
        <Suspense fallback=fallback>
            {move || {
                attempt.track();
                let view = load();
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match view.await {
                        Ok(view) => view,
                        Err(ChunkError) => chunk_error(attempt),
                    }
                }))
            }}
        </Suspense>
    }
    .into_any()
}

/// [`lazy`] for a part of the page around the route (the nav bar's bell): nothing while its
/// chunk downloads, and nothing if the download fails (the page works without it).
pub fn lazy_quiet(load: fn() -> ViewFuture) -> AnyView {
    view! {
        <Suspense fallback=|| ()>
            {move || {
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    load().await.unwrap_or_else(|ChunkError| ().into_any())
                }))
            }}
        </Suspense>
    }
    .into_any()
}

fn chunk_error(attempt: RwSignal<u32>) -> AnyView {
    let i18n = use_i18n();
    crate::components::page::drop_boot_frame();
    view! {
        <section class="page error-page" data-testid="chunk-error" role="alert">
            <h1>{t!(i18n, errors.chunk_title)}</h1>
            <p>{t!(i18n, errors.chunk_body)}</p>
            <p>
                <button type="button" class="btn" data-testid="chunk-retry" on:click=move |_| attempt.update(|n| *n += 1)>
                    {t!(i18n, errors.chunk_retry)}
                </button>
            </p>
        </section>
    }
    .into_any()
}
