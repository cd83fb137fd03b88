//! `/admin/importar` (CSV import with a dry-run preview, all or nothing) and
//! `/admin/auditoria` (the append-only audit trail with filters).
use domain::api::admin::{AuditEntry, ImportReport};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::{self, enc, ApiError};
use crate::components::admin::{AdminTabs, FormError};
use crate::components::page::Page;
use crate::components::tickets::{error_text, fmt_time, loc};
use crate::i18n::*;

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let report = RwSignal::new(None::<ImportReport>);
    let err = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let run = move |dry: bool| {
        busy.set(true);
        err.set(None);
        let csv = text.get_untracked();
        spawn_local(async move {
            match api::admin_import(csv, dry).await {
                Ok(r) => report.set(Some(r)),
                Err(e) => {
                    report.set(None);
                    err.set(Some(e))
                }
            }
            busy.set(false);
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().unwrap().unchecked_into();
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            spawn_local(async move {
                if let Ok(v) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    text.set(v.as_string().unwrap_or_default());
                    report.set(None);
                }
            });
        }
    };
    // Applying is offered only after a clean dry run of the same text.
    let can_apply =
        move || report.with(|r| r.as_ref().is_some_and(|r| r.dry_run && r.errors.is_empty()));
    view! {
        <Page title=|i| t_string!(i, adm.import_title) lead=|i| t_string!(i, adm.import_lead) class="admin-page wide">
            <AdminTabs />
            <p class="hint"><code>{t!(i18n, adm.import_format)}</code></p>
            <div class="field">
                <label for="csv-file">{t!(i18n, adm.import_file)}</label>
                <input id="csv-file" type="file" accept=".csv,text/csv" data-testid="csv-file" on:change=on_file />
            </div>
            <div class="field">
                <label for="csv-text">{t!(i18n, adm.import_text)}</label>
                <textarea id="csv-text" rows="8" class="mono" data-testid="csv-text"
                    prop:value=move || text.get()
                    on:input=move |ev| { text.set(event_target_value(&ev)); report.set(None); }></textarea>
            </div>
            <div class="actions">
                <button type="button" class="btn btn-secondary" data-testid="import-dry" disabled=move || busy.get()
                    on:click=move |_| run(true)>{t!(i18n, adm.dry_run)}</button>
                <button type="button" class="btn" data-testid="import-apply" disabled=move || busy.get() || !can_apply()
                    on:click=move |_| run(false)>{t!(i18n, adm.apply)}</button>
            </div>
            <FormError err fields=&[] />
            {move || report.get().map(|r| view! { <Report r /> })}
        </Page>
    }
}

#[component]
fn Report(r: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let c = r.counts;
    let head = if !r.errors.is_empty() {
        view! { <p class="form-error" role="alert" data-testid="import-has-errors">{t!(i18n, adm.import_errors)}</p> }.into_any()
    } else if r.applied {
        view! { <p class="notice" role="status" data-testid="import-done">{t!(i18n, adm.import_done)}</p> }.into_any()
    } else {
        view! { <p class="notice" role="status" data-testid="import-ready">{t!(i18n, adm.import_ready)}</p> }.into_any()
    };
    let errors = (!r.errors.is_empty()).then(|| view! {
        <ul class="admin-list" data-testid="import-errors">
            {r.errors.iter().map(|e| view! {
                <li class="admin-item is-alert" data-testid="import-error" data-line=e.line.to_string() data-column=e.column.clone() data-code=e.code.clone()>
                    <span class="item-title">{t!(i18n, adm.line)} " " {e.line} " · " {e.column.clone()}</span>
                    <span>{loc(i18n, &e.message)}</span>
                </li>
            }).collect::<Vec<_>>()}
        </ul>
    });
    view! {
        <section class="card" data-testid="import-report" data-applied=r.applied.to_string()>
            {head}
            <p data-testid="import-counts">{t!(i18n, adm.import_counts, companies = move || c.companies, people = move || c.people, services = move || c.services)}</p>
            {errors}
            <ul class="admin-list" data-testid="import-rows">
                {r.rows.iter().map(|row| view! {
                    <li class="admin-item" data-testid="import-row" data-type=row.kind.clone()>
                        <span class="item-title">{t!(i18n, adm.line)} " " {row.line} " · " {row.kind.clone()} ": " {row.name.clone()}</span>
                        <span class="hint">
                            {row.email.clone().unwrap_or_default()} " " {row.company.clone().unwrap_or_default()} " " {row.detail.clone().unwrap_or_default()}
                        </span>
                    </li>
                }).collect::<Vec<_>>()}
            </ul>
        </section>
    }
}

const ENTITIES: [&str; 6] = [
    "company", "service", "contract", "user", "import", "settings",
];

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let (entity, action, entity_id) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let err = RwSignal::new(None::<ApiError>);
    let load = move |before: Option<i64>| {
        let mut q = Vec::new();
        for (k, v) in [
            ("entity", entity),
            ("action", action),
            ("entity_id", entity_id),
        ] {
            let v = v.get_untracked();
            if !v.trim().is_empty() {
                q.push(format!("{k}={}", enc(v.trim())));
            }
        }
        if let Some(b) = before {
            q.push(format!("before_id={b}"));
        }
        spawn_local(async move {
            match api::admin_audit(q.join("&")).await {
                Ok(l) => {
                    err.set(None);
                    if before.is_some() {
                        entries.update(|e| e.extend(l.entries));
                    } else {
                        entries.set(l.entries);
                    }
                    next.set(l.next_before_id);
                }
                Err(e) => err.set(Some(e)),
            }
        });
    };
    load(None);
    view! {
        <Page title=|i| t_string!(i, adm.audit_title) lead=|i| t_string!(i, adm.audit_lead) class="admin-page wide">
            <AdminTabs />
            <form class="filters" data-testid="audit-filters" on:submit=move |ev| { ev.prevent_default(); load(None); }>
                <label>{t!(i18n, adm.entity)}
                    <select data-testid="audit-entity" on:change=move |ev| entity.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, adm.any)}</option>
                        {ENTITIES.iter().map(|e| view! { <option value=*e>{*e}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label>{t!(i18n, adm.action)}
                    <input data-testid="audit-action" placeholder="user.suspend" bind:value=action />
                </label>
                <label>{t!(i18n, adm.entity_id)}
                    <input data-testid="audit-entity-id" bind:value=entity_id />
                </label>
                <button type="submit" class="btn">{t!(i18n, adm.filter)}</button>
            </form>
            <FormError err fields=&[] />
            <ul class="admin-list" data-testid="audit-list">
                <For each=move || entries.get() key=|e| e.id let:e>
                    <li class="admin-item audit" data-testid="audit-entry" data-action=e.action.clone()>
                        <span class="item-title">{e.action.clone()} " · " {e.entity.clone()} " " {e.entity_id.clone().unwrap_or_default()}</span>
                        <span class="hint">{fmt_time(i18n, &e.at)} " · " {e.actor_email.clone().unwrap_or_default()} " · " {e.ip.clone().unwrap_or_default()}</span>
                        <details>
                            <summary>{t!(i18n, adm.change)}</summary>
                            <pre class="mono">{diff(&e)}</pre>
                        </details>
                    </li>
                </For>
            </ul>
            {move || next.get().map(|b| view! {
                <button type="button" class="btn btn-ghost" data-testid="audit-more" on:click=move |_| load(Some(b))>{t!(i18n, adm.more)}</button>
            })}
            {move || err.get().map(|e| view! { <p class="form-error">{error_text(i18n, &e)}</p> })}
        </Page>
    }
}

/// `before → after`, one changed key per line (whole values when either side is absent).
fn diff(e: &AuditEntry) -> String {
    use serde_json::Value;
    match (&e.before, &e.after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut out = Vec::new();
            for (k, v) in a {
                if b.get(k) != Some(v) {
                    out.push(format!("{k}: {} → {v}", b.get(k).unwrap_or(&Value::Null)));
                }
            }
            out.join("\n")
        }
        (b, a) => format!(
            "{} → {}",
            b.as_ref()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "∅".into()),
            a.as_ref()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "∅".into())
        ),
    }
}
