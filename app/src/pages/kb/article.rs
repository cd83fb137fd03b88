//! `/kb/{category}/{slug}` — one article (`GET /api/kb/articles/{slug}`).
//!
//! * The body is the API's `body_html`, Markdown rendered **and sanitized** by the Worker
//!   when the article was saved (ammonia: no script, no event handlers, no `javascript:`).
//! * An old slug (renamed article) or a wrong category in the address: the API answers with
//!   the current article and the address is replaced by its canonical `url`.
//! * `document.title` is the article's title; an `article_view` event is recorded once per
//!   article shown, with the search that led here (P11 deflection).
//! * "¿Te ayudó este artículo? Sí / No" with an optional comment after "No"; the vote is
//!   remembered in localStorage so a reload shows the thanks instead of the question.
use domain::kb::{Article, ArticleStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use super::{
    api_message, by_locale, kb_session, set_doc_title, take_query, Crumbs, KbLoadError, KbNotFound,
    SsrOrLoading, TicketCta,
};
use crate::api;
use crate::i18n::*;
use crate::pages::hours::fill;
use crate::pages::hours::{medium_date, ymd};
use crate::session::use_session;

#[component]
pub fn KbArticlePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let location = use_location();
    let navigate = use_navigate();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let data = LocalResource::new(move || api::kb_article(slug.get()));
    let viewed = StoredValue::new(String::new());

    Effect::new(move |_| {
        let Some(Ok(a)) = data.get() else { return };
        set_doc_title(i18n, &a.title);
        // Canonical address (renamed article, or another category in the link).
        if location.pathname.get_untracked().trim_end_matches('/') != a.url {
            navigate(
                &a.url,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        if a.status == ArticleStatus::Published && viewed.get_value() != a.slug {
            viewed.set_value(a.slug.clone());
            let slug = a.slug.clone();
            spawn_local(async move {
                api::kb_article_view(&slug, &kb_session(), take_query()).await;
            });
        }
    });

    view! {
        {move || match data.get() {
            None => view! { <SsrOrLoading /> }.into_any(),
            Some(Err(e)) if e.status == 404 => view! { <KbNotFound /> }.into_any(),
            Some(Err(_)) => view! { <KbLoadError /> }.into_any(),
            Some(Ok(a)) => view! { <ArticleView article=a /> }.into_any(),
        }}
    }
}

#[component]
fn ArticleView(article: Article) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let staff = move || session.role().is_some_and(|r| r.is_staff());
    let a = article;
    let draft = a.status == ArticleStatus::Draft;
    let crumbs = a.breadcrumbs.clone();
    let title = a.title.clone();
    let updated = ymd(&a.updated_at);
    let edit_href = format!("/articulos/editar/{}", a.slug);
    let related = a
        .related
        .iter()
        .map(|r| {
            view! {
                <li data-testid="kb-related-item" data-slug=r.slug.clone()>
                    <a href=r.url.clone()>{r.title.clone()}</a>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let has_related = !related.is_empty();
    view! {
        <div class="kb-article-page" data-testid="kb-article-page" data-slug=a.slug.clone()>
            {move || {
                let links = crumbs
                    .iter()
                    .map(|c| (c.url.clone(), by_locale(i18n, &c.name, &c.name_en)))
                    .collect::<Vec<_>>();
                view! { <Crumbs links=links current=title.clone() /> }
            }}
            <article class="kb-article" lang="es" data-testid="kb-article">
                {draft.then(|| view! { <p class="badge badge-draft" data-testid="kb-draft-badge">{t!(i18n, kb.draft)}</p> })}
                <h1 data-testid="kb-article-title">{a.title.clone()}</h1>
                {(!a.summary.is_empty()).then(|| view! { <p class="lead kb-summary">{a.summary.clone()}</p> })}
                {move || (i18n.get_locale() == Locale::en).then(|| view! { <p class="hint" lang="en">{t!(i18n, kb.spanish_only)}</p> })}
                <div class="kb-body" data-testid="kb-article-body" inner_html=a.body_html.clone()></div>
                <p class="kb-updated hint">
                    {move || updated.map(|d| fill(t_string!(i18n, kb.updated), &[("date", &(medium_date(i18n, d)))]))}
                    {move || staff().then(|| view! { " · " <a href=edit_href.clone() data-testid="kb-edit-link">{t!(i18n, kb.edit)}</a> })}
                </p>
            </article>
            {(!draft).then(|| view! { <Feedback slug=a.slug.clone() /> })}
            {has_related
                .then(|| {
                    view! {
                        <aside class="kb-related" data-testid="kb-related">
                            <h2>{t!(i18n, kb.related)}</h2>
                            <ul class="kb-link-list">{related}</ul>
                        </aside>
                    }
                })}
            <TicketCta />
        </div>
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Vote {
    None,
    Yes,
    No,
}

#[component]
fn Feedback(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let key = format!("kb_vote:{slug}");
    let saved = local_storage()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .map(|v| if v == "yes" { Vote::Yes } else { Vote::No })
        .unwrap_or(Vote::None);
    let vote = RwSignal::new(saved);
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let comment = RwSignal::new(String::new());
    let comment_sent = RwSignal::new(false);
    let slug = StoredValue::new(slug);
    let key = StoredValue::new(key);

    let send = move |helpful: bool, text: Option<String>| {
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            let answer =
                api::kb_feedback(&slug.get_value(), helpful, text.as_deref(), &kb_session()).await;
            sending.set(false);
            match answer {
                Ok(_) => {
                    if text.is_some() {
                        comment_sent.set(true);
                    }
                    vote.set(if helpful { Vote::Yes } else { Vote::No });
                    if let Some(s) = local_storage() {
                        let _ = s.set_item(&key.get_value(), if helpful { "yes" } else { "no" });
                    }
                }
                Err(e) => error.set(Some(api_message(i18n, &e))),
            }
        });
    };

    view! {
        <section class="kb-feedback" data-testid="kb-feedback" aria-labelledby="kb-feedback-q">
            {move || match vote.get() {
                Vote::None => {
                    view! {
                        <p id="kb-feedback-q" class="kb-feedback-q">{t!(i18n, kb.helpful_q)}</p>
                        <div class="actions">
                            <button type="button" class="btn btn-secondary" data-testid="kb-helpful-yes"
                                disabled=move || sending.get() on:click=move |_| send(true, None)>
                                {t!(i18n, kb.yes)}
                            </button>
                            <button type="button" class="btn btn-secondary" data-testid="kb-helpful-no"
                                disabled=move || sending.get() on:click=move |_| send(false, None)>
                                {t!(i18n, kb.no)}
                            </button>
                        </div>
                    }
                    .into_any()
                }
                Vote::Yes => {
                    view! {
                        <p id="kb-feedback-q" class="kb-thanks" data-testid="kb-feedback-thanks" role="status">
                            {t!(i18n, kb.thanks_yes)}
                        </p>
                    }
                    .into_any()
                }
                Vote::No => {
                    view! {
                        <p id="kb-feedback-q" class="kb-thanks" data-testid="kb-feedback-thanks" role="status">
                            {t!(i18n, kb.thanks_no)}
                        </p>
                        {move || {
                            if comment_sent.get() {
                                view! { <p class="hint" data-testid="kb-comment-sent">{t!(i18n, kb.comment_sent)}</p> }.into_any()
                            } else {
                                view! {
                                    <form class="kb-comment" on:submit=move |ev| {
                                        ev.prevent_default();
                                        let text = comment.get_untracked();
                                        if !text.trim().is_empty() {
                                            send(false, Some(text));
                                        }
                                    }>
                                        <label for="kb-comment">{t!(i18n, kb.comment_label)}</label>
                                        <textarea id="kb-comment" rows="3" maxlength="1000" data-testid="kb-comment"
                                            prop:value=move || comment.get()
                                            on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                                        <button type="submit" class="btn btn-secondary" disabled=move || sending.get()>
                                            {t!(i18n, kb.comment_send)}
                                        </button>
                                    </form>
                                }
                                .into_any()
                            }
                        }}
                    }
                    .into_any()
                }
            }}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </section>
    }
}
