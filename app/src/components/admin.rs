//! Shared pieces of the administration and account pages: the admin sub-navigation,
//! per-field and form-level API errors, and the "suspend with a reason" control.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::ApiError;
use crate::components::tickets::error_text;
use crate::i18n::*;

/// The admin sections (under the main nav's "Administración").
#[component]
pub fn AdminTabs() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="sub-nav" aria-label=move || t_string!(i18n, adm.tabs_label)>
            <A href="/admin" exact=true attr:data-nav="admin-overview">{t!(i18n, adm.tab_overview)}</A>
            <A href="/admin/empresas" attr:data-nav="admin-companies">{t!(i18n, adm.tab_companies)}</A>
            <A href="/admin/personal" attr:data-nav="admin-staff">{t!(i18n, adm.tab_people)}</A>
            <A href="/admin/tabulador" attr:data-nav="admin-prices">{t!(i18n, adm.tab_prices)}</A>
            <A href="/admin/facturas" attr:data-nav="admin-invoices">{t!(i18n, adm.tab_invoices)}</A>
            <A href="/admin/importar" attr:data-nav="admin-import">{t!(i18n, adm.tab_import)}</A>
            <A href="/admin/auditoria" attr:data-nav="admin-audit">{t!(i18n, adm.tab_audit)}</A>
        </nav>
    }
}

/// The API's message under the input it is about (`field` as the API names it).
#[component]
pub fn FieldError(err: RwSignal<Option<ApiError>>, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        err.get()
            .filter(|e| e.field.as_deref() == Some(field))
            .map(|e| {
                view! {
                    <p class="field-error" role="alert" data-field-error=field data-error-code=e.code.clone()>
                        {error_text(i18n, &e)}
                    </p>
                }
            })
    }
}

/// The API's message when it names none of the form's `fields` (or no field at all).
#[component]
pub fn FormError(
    err: RwSignal<Option<ApiError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        err.get()
            .filter(|e| !e.field.as_deref().is_some_and(|f| fields.contains(&f)))
            .map(|e| {
                view! {
                    <p class="form-error" role="alert" data-error-code=e.code.clone()>
                        {error_text(i18n, &e)}
                    </p>
                }
            })
    }
}

/// A button that opens a reason box; confirming calls `on_confirm(reason)`.
/// `err` shows the API's answer (e.g. a missing reason) under the box.
#[component]
pub fn SuspendControl(
    label: fn(crate::I18n) -> &'static str,
    testid: String,
    err: RwSignal<Option<ApiError>>,
    on_confirm: impl Fn(String) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let tid = testid.clone();
    view! {
        <div class="suspend-control" data-testid=testid>
            {move || {
                let on_confirm = on_confirm.clone();
                let tid = tid.clone();
                if open.get() {
                    view! {
                        <div class="field">
                            <label>
                                {t!(i18n, adm.reason)}
                                <textarea rows="2" data-testid=format!("{tid}-reason")
                                    prop:value=move || reason.get()
                                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                            </label>
                            <FieldError err field="reason" />
                            <div class="actions">
                                <button type="button" class="btn btn-danger" data-testid=format!("{tid}-confirm")
                                    on:click=move |_| on_confirm(reason.get_untracked())>
                                    {t!(i18n, adm.confirm_suspend)}
                                </button>
                                <button type="button" class="btn btn-ghost" on:click=move |_| { open.set(false); err.set(None); }>
                                    {t!(i18n, adm.cancel)}
                                </button>
                            </div>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <button type="button" class="btn btn-secondary" data-testid=format!("{tid}-open")
                            on:click=move |_| open.set(true)>
                            {move || label(i18n)}
                        </button>
                    }
                    .into_any()
                }
            }}
        </div>
    }
}
