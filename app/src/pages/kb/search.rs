//! The knowledge-base search box with results as you type.
//!
//! * 250 ms after the last keystroke: `GET /api/kb/search?…&log=0` (not counted in the stats);
//!   answers that arrive after a newer keystroke are dropped.
//! * When the text then stays unchanged for 1.5 s, or on Enter, or when a result is opened:
//!   `POST /api/kb/events {"kind":"searched"}` — one search-log row per query the reader
//!   settled on, not one per keystroke and without searching twice (feeds "top searches" /
//!   "no results").
//! * On `/kb` the text is mirrored in the address (`/kb?q=…`, replacing the history entry) so
//!   a reload or a shared link shows the same results; the Worker renders that page too.
//! * Snippets arrive as escaped text with `<mark>` around matched words; they are rebuilt
//!   here as text nodes and `<mark>` elements, never through `innerHTML`.
use std::time::Duration;

use domain::kb::SearchResponse;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::{kb_session, remember_query};
use crate::api;
use crate::i18n::*;
use crate::pages::hours::fill;

const TYPE_DELAY: Duration = Duration::from_millis(250);
const SETTLE_DELAY: Duration = Duration::from_millis(1500);

/// What the results panel shows.
#[derive(Clone, Debug)]
enum Panel {
    Closed,
    Results(String, SearchResponse),
    Failed,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// `escaped text <mark>word</mark> more` → text and `<mark>` nodes.
pub fn snippet_view(snippet: &str) -> Vec<AnyView> {
    let mut out = Vec::new();
    let mut parts = snippet.split("<mark>");
    if let Some(first) = parts.next() {
        out.push(unescape(first).into_any());
    }
    for part in parts {
        let (marked, rest) = part.split_once("</mark>").unwrap_or((part, ""));
        out.push(view! { <mark>{unescape(marked)}</mark> }.into_any());
        out.push(unescape(rest).into_any());
    }
    out
}

#[component]
pub fn KbSearch() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();

    let initial = query.with_untracked(|q| q.get("q")).unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let panel = RwSignal::new(Panel::Closed);
    let busy = RwSignal::new(false);
    // Bumped on every change of the text: stale timers and answers compare against it.
    let generation = StoredValue::new(0u64);
    let logged = StoredValue::new(String::new());
    let sid = StoredValue::new(kb_session());

    let on_home = move || location.pathname.get_untracked().trim_end_matches('/') == "/kb";
    let sync_address = {
        let navigate = navigate.clone();
        move |q: &str| {
            if on_home() {
                let to = if q.trim().is_empty() {
                    "/kb".to_string()
                } else {
                    format!("/kb?q={}", String::from(js_sys::encode_uri_component(q)))
                };
                navigate(
                    &to,
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
        }
    };

    // One search; the answer is shown only if the text did not change meanwhile.
    let search = move |q: String, log: bool| {
        let gen = generation.get_value();
        if log {
            if logged.get_value() == q {
                return;
            }
            logged.set_value(q.clone());
            // Already on screen: the settled search is recorded, not searched again.
            let shown = panel.with_untracked(|p| matches!(p, Panel::Results(s, _) if *s == q));
            let (settled, session) = (q.clone(), sid.get_value());
            spawn_local(async move { api::kb_searched(settled, session).await });
            if shown {
                return;
            }
        }
        busy.set(true);
        spawn_local(async move {
            let answer = api::kb_search(q.clone(), sid.get_value()).await;
            if generation.get_value() != gen {
                return;
            }
            busy.set(false);
            panel.set(match answer {
                Ok(found) => Panel::Results(q, found),
                Err(_) => Panel::Failed,
            });
        });
    };

    let changed = {
        let sync_address = sync_address.clone();
        move |q: String| {
            text.set(q.clone());
            generation.update_value(|g| *g += 1);
            let gen = generation.get_value();
            if q.trim().is_empty() {
                busy.set(false);
                panel.set(Panel::Closed);
                sync_address("");
                return;
            }
            let sync_address = sync_address.clone();
            set_timeout(
                move || {
                    if generation.get_value() != gen {
                        return;
                    }
                    sync_address(&q);
                    search(q.clone(), false);
                    set_timeout(
                        move || {
                            if generation.get_value() == gen {
                                search(q, true);
                            }
                        },
                        SETTLE_DELAY,
                    );
                },
                TYPE_DELAY,
            );
        }
    };

    // A link to `/kb?q=…` (reload, shared link, the Worker's form) shows its results at once.
    if !initial.trim().is_empty() {
        search(initial, false);
    }

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let q = text.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        generation.update_value(|g| *g += 1);
        if on_home() {
            sync_address(&q);
        } else {
            navigate(
                &format!("/kb?q={}", String::from(js_sys::encode_uri_component(&q))),
                Default::default(),
            );
        }
        search(q, true);
    };

    // Opening a result: count the search, tie the view to it, close the panel.
    let opened = move |q: String| {
        generation.update_value(|g| *g += 1);
        busy.set(false);
        if logged.get_value() != q {
            logged.set_value(q.clone());
            let sid = sid.get_value();
            let q = q.clone();
            spawn_local(async move { api::kb_searched(q, sid).await });
        }
        remember_query(&q);
        panel.set(Panel::Closed);
    };

    // Leaving for another page (breadcrumbs, a link in an article) closes the panel.
    Effect::new(move |prev: Option<String>| {
        let path = location.pathname.get();
        if prev.is_some_and(|p| p != path) {
            panel.set(Panel::Closed);
        }
        path
    });

    let results = move || match panel.get() {
        Panel::Closed => None,
        Panel::Failed => Some(
            view! {
                <div class="kb-results" data-testid="kb-results">
                    <p class="form-error" role="alert">{t!(i18n, kb.search_error)}</p>
                </div>
            }
            .into_any(),
        ),
        Panel::Results(q, found) if found.results.is_empty() => Some(
            view! {
                <div class="kb-results is-empty" data-testid="kb-results" data-count="0">
                    <p class="kb-results-count" data-testid="kb-no-results">
                        {fill(t_string!(i18n, kb.no_results), &[("q", &(q.clone()))])}
                    </p>
                    <p class="hint">{t!(i18n, kb.no_results_hint)}</p>
                </div>
            }
            .into_any(),
        ),
        Panel::Results(q, found) => {
            let total = found.total.max(found.results.len() as u32);
            let items = found
                .results
                .into_iter()
                .map(|r| {
                    let q = q.clone();
                    let href = if r.url.is_empty() {
                        format!("/kb/{}/{}", r.category, r.slug)
                    } else {
                        r.url.clone()
                    };
                    view! {
                        <li class="kb-result" data-testid="kb-result" data-slug=r.slug.clone() on:click=move |_| opened(q.clone())>
                            <a href=href class="kb-result-title">{r.title.clone()}</a>
                            <p class="kb-snippet">{snippet_view(&r.snippet)}</p>
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            Some(
                view! {
                    <div class="kb-results" data-testid="kb-results" data-count=total.to_string()>
                        <p class="kb-results-count">
                            {move || {
                                if total == 1 {
                                    fill(t_string!(i18n, kb.one_result), &[("q", &(q.clone()))])
                                } else {
                                    fill(t_string!(i18n, kb.n_results), &[("n", &(total)), ("q", &(q.clone()))])
                                }
                            }}
                        </p>
                        <ol class="kb-result-list">{items}</ol>
                    </div>
                }
                .into_any(),
            )
        }
    };

    view! {
        <div class="kb-search-box">
            <form class="kb-search" role="search" action="/kb" method="get" on:submit=on_submit>
                <label for="kb-search-input">{t!(i18n, kb.search_label)}</label>
                <div class="kb-search-row">
                    <input
                        id="kb-search-input"
                        name="q"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        maxlength="200"
                        enterkeyhint="search"
                        data-testid="kb-search-input"
                        placeholder=move || t_string!(i18n, kb.search_placeholder)
                        aria-describedby="kb-search-status"
                        prop:value=move || text.get()
                        on:input=move |ev| changed(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                generation.update_value(|g| *g += 1);
                                panel.set(Panel::Closed);
                            }
                        }
                    />
                    <button type="submit" class="btn">{t!(i18n, kb.search_button)}</button>
                </div>
            </form>
            <p id="kb-search-status" class="visually-hidden" aria-live="polite">
                {move || if busy.get() { t_string!(i18n, kb.searching) } else { "" }}
            </p>
            {results}
        </div>
    }
}
