//! Knowledge-base authoring for agents and admins (issue 6).
//!
//! `/articulos` (every article incl. drafts), `/articulos/nuevo`, `/articulos/editar/{slug}`,
//! `/articulos/estadisticas`. Not under `/kb/…`: the Worker answers every `/kb/…` path with
//! a server-rendered public page.
use domain::kb::ArticleStatus;
use leptos::prelude::*;

use crate::api;
use crate::components::page::set_title;
use crate::i18n::*;
use crate::pages::hours::{medium_date, ymd};
use domain::api::kb::AdminArticleItem;

pub mod editor;
pub mod stats;

pub use editor::{KbEditArticlePage, KbNewArticlePage};
pub use stats::KbStatsPage;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Drafts,
    Published,
}

#[component]
pub fn KbAdminListPage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || t_string!(i18n, kb_admin.title));
    // Its own `<section>`, not `Page`: it takes the place of its boot frame itself.
    crate::components::page::drop_boot_frame();
    let list = LocalResource::new(api::kb_admin_list);
    let filter = RwSignal::new(Filter::All);
    let text = RwSignal::new(String::new());

    let rows = move || {
        let Some(answer) = list.get() else {
            return view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }
                .into_any();
        };
        let Ok(all) = answer else {
            return view! { <p class="form-error" role="alert">{t!(i18n, kb.load_error)}</p> }
                .into_any();
        };
        let needle = domain::search::fold(text.get().trim());
        let shown: Vec<AdminArticleItem> = all
            .into_iter()
            .filter(|a| match filter.get() {
                Filter::All => true,
                Filter::Drafts => a.status == ArticleStatus::Draft,
                Filter::Published => a.status == ArticleStatus::Published,
            })
            .filter(|a| {
                needle.is_empty()
                    || domain::search::fold(&a.title).contains(&needle)
                    || a.slug.contains(&needle)
            })
            .collect();
        if shown.is_empty() {
            return view! { <p class="notice">{t!(i18n, kb_admin.empty)}</p> }.into_any();
        }
        let items = shown
            .into_iter()
            .map(|a| {
                let draft = a.status == ArticleStatus::Draft;
                let updated = ymd(&a.updated_at);
                let public = format!("/kb/{}/{}", a.category, a.slug);
                view! {
                    <li class="kb-admin-item" data-testid="kb-admin-item" data-slug=a.slug.clone() data-status=if draft { "draft" } else { "published" }>
                        <a class="kb-admin-title" href=format!("/articulos/editar/{}", a.slug)>{a.title.clone()}</a>
                        <span class="kb-admin-meta">
                            <span class=if draft { "badge badge-draft" } else { "badge badge-law" }>
                                {move || if draft { t_string!(i18n, kb.draft) } else { t_string!(i18n, kb_admin.published) }}
                            </span>
                            " "
                            <code>{a.category.clone()}</code>
                            " · "
                            {move || updated.map(|d| medium_date(i18n, d))}
                            " · "
                            <span title=move || t_string!(i18n, kb_admin.votes_hint)>
                                {format!("👍 {} · 👎 {}", a.helpful_yes, a.helpful_no)}
                            </span>
                            {(!draft).then(|| view! { " · " <a href=public.clone()>{t!(i18n, kb_admin.view_public)}</a> })}
                        </span>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        view! { <ul class="kb-admin-list" data-testid="kb-admin-list">{items}</ul> }.into_any()
    };

    let filter_button =
        move |f: Filter, testid: &'static str, label: fn(crate::I18n) -> &'static str| {
            view! {
                <button type="button" class="btn btn-secondary btn-small" data-testid=testid
                    aria-pressed=move || if filter.get() == f { "true" } else { "false" }
                    on:click=move |_| filter.set(f)>
                    {move || label(i18n)}
                </button>
            }
        };

    view! {
        <section class="page page-wide kb-admin" data-testid="kb-admin">
            <h1>{t!(i18n, kb_admin.title)}</h1>
            <p class="lead">{t!(i18n, kb_admin.lead)}</p>
            <p class="actions">
                <a class="btn" href="/articulos/nuevo" data-testid="kb-admin-new">{t!(i18n, kb_admin.new_article)}</a>
                <a class="btn btn-secondary" href="/articulos/estadisticas" data-testid="kb-admin-stats">{t!(i18n, kb_admin.stats)}</a>
            </p>
            <div class="kb-admin-filters">
                <div class="actions" role="group" aria-label=move || t_string!(i18n, kb_admin.filter)>
                    {filter_button(Filter::All, "kb-filter-all", |i| t_string!(i, kb_admin.all))}
                    {filter_button(Filter::Drafts, "kb-filter-drafts", |i| t_string!(i, kb_admin.drafts))}
                    {filter_button(Filter::Published, "kb-filter-published", |i| t_string!(i, kb_admin.published_plural))}
                </div>
                <div class="field">
                    <label for="kb-admin-q">{t!(i18n, kb_admin.find)}</label>
                    <input id="kb-admin-q" type="search" data-testid="kb-admin-q"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                </div>
            </div>
            {rows}
        </section>
    }
}
