//! `/kb` — categories and the most useful articles (`GET /api/kb/categories`).
use leptos::prelude::*;

use super::{by_locale, set_doc_title, KbLoadError, SsrOrLoading, TicketCta};
use crate::api;
use crate::i18n::*;
use crate::pages::hours::fill;
use domain::api::kb::KbHome;

#[component]
pub fn KbHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalResource::new(api::kb_home);
    Effect::new(move |_| set_doc_title(i18n, t_string!(i18n, kb.title)));
    view! {
        {move || match data.get() {
            None => view! { <SsrOrLoading /> }.into_any(),
            Some(Err(_)) => view! { <KbLoadError /> }.into_any(),
            Some(Ok(home)) => view! { <Home home=home /> }.into_any(),
        }}
    }
}

#[component]
fn Home(home: KbHome) -> impl IntoView {
    let i18n = use_i18n();
    let categories = home
        .categories
        .into_iter()
        .filter(|c| c.article_count > 0)
        .map(|c| {
            let (name, name_en) = (c.name.clone(), c.name_en.clone());
            let (desc, desc_en) = (c.description.clone(), c.description_en.clone());
            let count = c.article_count;
            view! {
                <li class="card kb-category-card" data-testid="kb-category" data-slug=c.slug.clone()>
                    <a href=c.url.clone()>{move || by_locale(i18n, &name, &name_en)}</a>
                    <p>{move || by_locale(i18n, &desc, &desc_en)}</p>
                    <p class="kb-count">{move || fill(t_string!(i18n, kb.article_count), &[("n", &(count))])}</p>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let popular = home
        .popular
        .into_iter()
        .map(|a| {
            view! {
                <li data-testid="kb-popular-item" data-slug=a.slug.clone()>
                    <a href=a.url.clone()>{a.title.clone()}</a>
                    {(!a.summary.is_empty()).then(|| view! { <p class="hint">{a.summary.clone()}</p> })}
                </li>
            }
        })
        .collect::<Vec<_>>();
    let has_popular = !popular.is_empty();
    view! {
        <section class="page kb-home" data-testid="kb-home">
            <h1>{t!(i18n, kb.title)}</h1>
            <p class="lead">{t!(i18n, kb.lead)}</p>
            {has_popular
                .then(|| {
                    view! {
                        <h2>{t!(i18n, kb.popular)}</h2>
                        <ol class="kb-link-list" data-testid="kb-popular">{popular}</ol>
                    }
                })}
            <h2>{t!(i18n, kb.categories)}</h2>
            <ul class="cards kb-categories" data-testid="kb-categories">{categories}</ul>
            <TicketCta />
        </section>
    }
}
