//! `/admin/tabulador`: the price list (P20) — add an item, change its prices (each change
//! is a new version; the history stays visible), stop or resume offering it.
use domain::api::admin::{AdminPriceItem, PriceItemPatch, PriceItemRequest};
use domain::billing::{format_mxn, parse_pesos as cents};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::admin::{AdminTabs, FieldError, FormError};
use crate::components::page::Page;
use crate::components::tickets::error_text;
use crate::i18n::*;

#[component]
pub fn PricesPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = LocalResource::new(api::admin_prices);
    let name = RwSignal::new(String::new());
    let hours = RwSignal::new("1".to_string());
    let standard = RwSignal::new(String::new());
    let preferential = RwSignal::new(String::new());
    let err = RwSignal::new(None::<ApiError>);
    let create =
        Action::new_local(move |body: &PriceItemRequest| api::admin_create_price(body.clone()));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            err.set(None);
            name.set(String::new());
            standard.set(String::new());
            preferential.set(String::new());
            items.refetch();
        }
        Some(Err(e)) => err.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch_local(PriceItemRequest {
            name: name.get_untracked(),
            standard_hours: hours.get_untracked().trim().parse().unwrap_or(0),
            // Not a number: -1 cents, which the API refuses with the field's message.
            standard_cents: cents(&standard.get_untracked()).unwrap_or(-1),
            preferential_cents: cents(&preferential.get_untracked()).unwrap_or(-1),
        });
    };
    view! {
        <Page title=|i| t_string!(i, adm.prices_title) lead=|i| t_string!(i, adm.prices_lead) class="admin-page wide">
            <AdminTabs />
            <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }>
                {move || items.get().map(|r| match r {
                    Ok(list) => view! {
                        <ul class="admin-list" data-testid="price-items">
                            {list.items.into_iter().map(|item| view! { <PriceRow item on_change=move || items.refetch() /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                })}
            </Transition>
            <form class="card" on:submit=on_submit data-testid="price-new">
                <h2>{t!(i18n, adm.prices_new)}</h2>
                <div class="field">
                    <label for="pn-name">{t!(i18n, adm.name)}</label>
                    <input id="pn-name" data-testid="pn-name" bind:value=name required />
                    <FieldError err field="name" />
                </div>
                <div class="field">
                    <label for="pn-hours">{t!(i18n, adm.prices_hours)}</label>
                    <input id="pn-hours" data-testid="pn-hours" type="number" min="1" max="1000" inputmode="numeric" bind:value=hours />
                    <FieldError err field="standard_hours" />
                </div>
                <div class="field">
                    <label for="pn-standard">{t!(i18n, adm.prices_standard)}</label>
                    <input id="pn-standard" data-testid="pn-standard" inputmode="decimal" bind:value=standard />
                    <FieldError err field="standard_cents" />
                </div>
                <div class="field">
                    <label for="pn-pref">{t!(i18n, adm.prices_preferential)}</label>
                    <input id="pn-pref" data-testid="pn-pref" inputmode="decimal" bind:value=preferential />
                    <FieldError err field="preferential_cents" />
                </div>
                <FormError err fields=&["name", "standard_hours", "standard_cents", "preferential_cents"] />
                <button class="btn btn-primary" type="submit" data-testid="pn-submit" disabled=move || create.pending().get()>
                    {t!(i18n, adm.create)}
                </button>
            </form>
        </Page>
    }
}

/// One item: its current prices, a form for new ones, offered or not, and the history.
#[component]
fn PriceRow(item: AdminPriceItem, on_change: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.id.clone();
    let pesos = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    let standard = RwSignal::new(pesos(item.standard_cents));
    let preferential = RwSignal::new(pesos(item.preferential_cents));
    let err = RwSignal::new(None::<ApiError>);
    let change = Action::new_local(move |(id, patch): &(String, PriceItemPatch)| {
        api::admin_patch_price(id.clone(), patch.clone())
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(_)) => on_change(),
        Some(Err(e)) => err.set(Some(e)),
        None => {}
    });
    let save_id = id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch_local((
            save_id.clone(),
            PriceItemPatch {
                standard_cents: Some(cents(&standard.get_untracked()).unwrap_or(-1)),
                preferential_cents: Some(cents(&preferential.get_untracked()).unwrap_or(-1)),
                ..Default::default()
            },
        ));
    };
    let active = item.active;
    let toggle = move |_| {
        change.dispatch_local((
            id.clone(),
            PriceItemPatch {
                active: Some(!active),
                ..Default::default()
            },
        ));
    };
    let history = item.history.clone();
    view! {
        <li class="admin-item" data-testid="price-item" data-id=item.id.clone() data-active=active.to_string()>
            <span class="item-title">{item.name.clone()}</span>
            <span>
                {format!("{} h · ", item.standard_hours)}
                <span data-testid="price-standard">{format_mxn(item.standard_cents)}</span>
                {" · "}{t!(i18n, adm.prices_pref_short)}{" "}
                <span data-testid="price-pref">{format_mxn(item.preferential_cents)}</span>
                {(!active).then(|| view! { <span class="tag">{t!(i18n, adm.prices_retired)}</span> })}
            </span>
            <form class="price-edit" on:submit=save>
                <input aria-label=move || t_string!(i18n, adm.prices_standard) data-testid="pe-standard" inputmode="decimal" size="10" bind:value=standard />
                <input aria-label=move || t_string!(i18n, adm.prices_preferential) data-testid="pe-pref" inputmode="decimal" size="10" bind:value=preferential />
                <button class="btn" type="submit" data-testid="pe-save" disabled=move || change.pending().get()>{t!(i18n, adm.prices_save)}</button>
                <button class="btn" type="button" data-testid="pe-toggle" on:click=toggle disabled=move || change.pending().get()>
                    {move || if active { t_string!(i18n, adm.prices_retire) } else { t_string!(i18n, adm.prices_offer) }}
                </button>
            </form>
            <FormError err fields=&[] />
            <details>
                <summary>{t!(i18n, adm.prices_history)}{format!(" ({})", history.len())}</summary>
                <ul data-testid="price-history">
                    {history.into_iter().map(|v| view! {
                        <li>{format!("{} · {} h · {} / {}{}", v.valid_from.get(..16).unwrap_or(&v.valid_from).replace('T', " "), v.standard_hours,
                            format_mxn(v.standard_cents), format_mxn(v.preferential_cents),
                            v.created_by.map(|b| format!(" · {b}")).unwrap_or_default())}</li>
                    }).collect_view()}
                </ul>
            </details>
        </li>
    }
}
