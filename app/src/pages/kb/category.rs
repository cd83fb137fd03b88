//! `/kb/{category}` — the published articles of one category (`GET /api/kb/categories/{slug}`).
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{by_locale, set_doc_title, Crumbs, KbLoadError, KbNotFound, SsrOrLoading, TicketCta};
use crate::api;
use crate::i18n::*;
use crate::pages::hours::fill;
use domain::api::kb::KbCategoryPage;

#[component]
pub fn KbCategoryPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("category").unwrap_or_default()));
    let data = LocalResource::new(move || api::kb_category(slug.get()));
    view! {
        {move || match data.get() {
            None => view! { <SsrOrLoading /> }.into_any(),
            Some(Err(e)) if e.status == 404 => view! { <KbNotFound /> }.into_any(),
            Some(Err(_)) => view! { <KbLoadError /> }.into_any(),
            Some(Ok(page)) => view! { <Category page=page /> }.into_any(),
        }}
    }
}

#[component]
fn Category(page: KbCategoryPage) -> impl IntoView {
    let i18n = use_i18n();
    let c = page.category;
    let (name, name_en) = (c.name.clone(), c.name_en.clone());
    let title = {
        let (name, name_en) = (name.clone(), name_en.clone());
        move || by_locale(i18n, &name, &name_en)
    };
    {
        let title = title.clone();
        Effect::new(move |_| set_doc_title(i18n, &title()));
    }
    let (desc, desc_en) = (c.description.clone(), c.description_en.clone());
    let count = page.articles.len();
    let items = page
        .articles
        .into_iter()
        .map(|a| {
            view! {
                <li data-testid="kb-article-link" data-slug=a.slug.clone()>
                    <a href=a.url.clone()>{a.title.clone()}</a>
                    {(!a.summary.is_empty()).then(|| view! { <p class="hint">{a.summary.clone()}</p> })}
                </li>
            }
        })
        .collect::<Vec<_>>();
    let crumb_title = title.clone();
    view! {
        <section class="page kb-category" data-testid="kb-category-page" data-slug=c.slug.clone()>
            {move || {
                view! {
                    <Crumbs
                        links=vec![("/kb".to_string(), t_string!(i18n, kb.title).to_string())]
                        current=crumb_title()
                    />
                }
            }}
            <h1>{title}</h1>
            <p class="lead">{move || by_locale(i18n, &desc, &desc_en)}</p>
            <p class="kb-count">{move || fill(t_string!(i18n, kb.article_count), &[("n", &(count))])}</p>
            <ul class="kb-link-list" data-testid="kb-category-articles">{items}</ul>
            <TicketCta />
        </section>
    }
}
