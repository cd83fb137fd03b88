//! `/admin/empresas` (search, paging, create) and `/admin/empresas/:id` (people, services,
//! pólizas, open tickets, flags per person with the suspend prompt — P2, P21, P27).
use domain::api::admin::{
    AdminCompanyDetail, AdminServiceView, AdminUserView, CreateCompanyRequest,
    CreateContractRequest, CreateServiceRequest, CreateUserRequest, PatchServiceRequest,
    PatchUserRequest, PersonFlags,
};
use domain::contract::{Plan, ServiceKind, ServiceStatus};
use domain::validation::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::{self, ApiError};
use crate::components::admin::{AdminTabs, FieldError, FormError, SuspendControl};
use crate::components::page::Page;
use crate::components::tickets::{error_text, fmt_time, is_en, loc};
use crate::i18n::*;
use crate::I18n;

fn lang(i18n: I18n) -> Lang {
    if is_en(i18n) {
        Lang::En
    } else {
        Lang::Es
    }
}

fn bump(s: RwSignal<u32>) {
    s.update(|n| *n += 1);
}

#[component]
pub fn CompaniesPage() -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let list = LocalResource::new(move || api::admin_companies(q.get(), page.get()));
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.set(1);
        q.set(typed.get_untracked().trim().to_string());
    };
    view! {
        <Page title=|i| t_string!(i, adm.companies_title) lead=|i| t_string!(i, adm.companies_lead) class="admin-page wide">
            <AdminTabs />
            <form class="search-row" role="search" on:submit=on_search>
                <label class="visually-hidden" for="company-q">{t!(i18n, adm.search)}</label>
                <input id="company-q" type="search" data-testid="company-search" bind:value=typed
                    placeholder=move || t_string!(i18n, adm.search) />
                <button type="submit" class="btn">{t!(i18n, adm.search_btn)}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                    Ok(l) if l.companies.is_empty() => view! { <p class="notice" data-testid="companies-none">{t!(i18n, adm.none)}</p> }.into_any(),
                    Ok(l) => {
                        let pages = (l.total.max(1) as u32).div_ceil(l.per_page);
                        let (cur, total) = (l.page, l.total);
                        view! {
                            <ul class="admin-list" data-testid="companies-list">
                                {l.companies.into_iter().map(|c| {
                                    let status = if c.suspended { t_string!(i18n, adm.suspended) } else { t_string!(i18n, adm.active) };
                                    view! {
                                        <li class="admin-item" data-testid="company-row" data-id=c.id.clone()>
                                            <A href=format!("/admin/empresas/{}", c.id) attr:class="item-title">{c.name.clone()}</A>
                                            <span class="hint">{c.tax_id.clone().unwrap_or_default()}</span>
                                            <span class="meta">
                                                {t!(i18n, adm.people_count)} ": " {c.people} " · "
                                                {t!(i18n, adm.open_tickets)} ": " {c.open_tickets} " · " {status}
                                            </span>
                                        </li>
                                    }
                                }).collect::<Vec<_>>()}
                            </ul>
                            <div class="pager">
                                <button type="button" class="btn btn-ghost" data-testid="page-prev" disabled=cur <= 1
                                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>{t!(i18n, adm.prev)}</button>
                                <span class="hint" data-testid="page-info">
                                    {t!(i18n, adm.page_of, page = move || cur, pages = move || pages, total = move || total)}
                                </span>
                                <button type="button" class="btn btn-ghost" data-testid="page-next" disabled=cur >= pages
                                    on:click=move |_| page.update(|p| *p += 1)>{t!(i18n, adm.next)}</button>
                            </div>
                        }.into_any()
                    }
                })}
            </Transition>
            // Shown with the first list, not before it: the list would push it down (layout shift).
            <div hidden=move || list.with(Option::is_none)>
                <NewCompany />
            </div>
        </Page>
    }
}

#[component]
fn NewCompany() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let (name, tax_id, own) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(false),
    );
    let err = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let navigate = navigate.clone();
        let body = CreateCompanyRequest {
            name: name.get_untracked(),
            tax_id: Some(tax_id.get_untracked()),
            only_own_tickets: Some(own.get_untracked()),
        };
        spawn_local(async move {
            match api::admin_create_company(body).await {
                Ok(c) => navigate(&format!("/admin/empresas/{}", c.id), Default::default()),
                Err(e) => err.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, adm.new_company)}</h2>
            <form class="form" data-testid="new-company" on:submit=on_submit>
                <FormError err fields=&["name", "tax_id"] />
                <div class="field">
                    <label for="nc-name">{t!(i18n, adm.name)}</label>
                    <input id="nc-name" data-testid="nc-name" required bind:value=name />
                    <FieldError err field="name" />
                </div>
                <div class="field">
                    <label for="nc-tax">{t!(i18n, adm.tax_id)}</label>
                    <input id="nc-tax" data-testid="nc-tax" bind:value=tax_id autocapitalize="characters" />
                    <FieldError err field="tax_id" />
                </div>
                <label class="check"><input type="checkbox" bind:checked=own />" " {t!(i18n, adm.only_own)}</label>
                <button type="submit" class="btn" data-testid="nc-submit" disabled=move || busy.get()>{t!(i18n, adm.create)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let reload = RwSignal::new(0u32);
    provide_context(Invited(RwSignal::new(None)));
    let data = LocalResource::new(move || {
        reload.get();
        api::admin_company(id.get())
    });
    view! {
        <Page title=|i| t_string!(i, adm.companies_title) class="admin-page company-page wide">
            <AdminTabs />
            <p><A href="/admin/empresas">{t!(i18n, adm.back)}</A></p>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                Ok(d) => view! { <CompanyDetail d reload /> }.into_any(),
            })}
        </Page>
    }
}

#[component]
fn CompanyDetail(d: AdminCompanyDetail, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let c = d.company.clone();
    let err = RwSignal::new(None::<ApiError>);
    let cid = c.id.clone();
    let suspension = c.suspension.clone().map(|s| {
        let (since, reason) = (fmt_time(i18n, &s.since), s.reason.clone());
        let cid = cid.clone();
        view! {
            <div class="notice is-alert" data-testid="company-suspended">
                <p>{t!(i18n, adm.suspended_since, since = move || since.clone(), reason = move || reason.clone())}</p>
                <button type="button" class="btn btn-secondary" data-testid="company-unsuspend"
                    on:click=move |_| { let id = cid.clone(); spawn_local(async move {
                        match api::admin_suspension("companies", id, None).await { Ok(_) => bump(reload), Err(e) => err.set(Some(e)) }
                    }); }>{t!(i18n, adm.unsuspend_company)}</button>
            </div>
        }
    });
    let suspend_ctl = c.suspension.is_none().then(|| {
        let cid = cid.clone();
        view! {
            <SuspendControl label=|i| t_string!(i, adm.suspend_company) testid="company-suspend".to_string() err
                on_confirm=move |reason| { let id = cid.clone(); spawn_local(async move {
                    match api::admin_suspension("companies", id, Some(reason)).await { Ok(_) => bump(reload), Err(e) => err.set(Some(e)) }
                }); } />
        }
    });
    let overdue = d
        .has_overdue_invoice
        .then(|| view! { <p class="notice is-alert">{t!(i18n, adm.overdue_invoice)}</p> });
    view! {
        <header class="company-head" data-testid="company-head" data-id=c.id.clone()>
            <h2 data-testid="company-name">{c.name.clone()}</h2>
            <p class="hint">{c.tax_id.clone().unwrap_or_default()}</p>
            {overdue}
            {suspension}
            {suspend_ctl}
        </header>
        <People people=d.people.clone() company_id=c.id.clone() reload />
        <Flags flags=d.flags.clone() threshold=d.flag_threshold reload />
        <Services services=d.services.clone() company_id=c.id.clone() reload />
        <Contracts d=d.clone() reload />
        <section class="card">
            <h2>{t!(i18n, adm.open_tickets)}</h2>
            {if d.open_tickets.is_empty() {
                view! { <p class="hint">{t!(i18n, adm.no_tickets)}</p> }.into_any()
            } else {
                view! { <ul class="admin-list" data-testid="company-tickets">
                    {d.open_tickets.clone().into_iter().map(|t| view! {
                        <li class="admin-item"><A href=format!("/tickets/{}", t.id)>{t.number}</A> " " {t.subject}</li>
                    }).collect::<Vec<_>>()}
                </ul> }.into_any()
            }}
        </section>
    }
}

/// The people of a company (or the staff list when `company_id` is empty).
#[component]
pub fn People(
    people: Vec<AdminUserView>,
    company_id: String,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = if people.is_empty() {
        view! { <p class="hint">{t!(i18n, adm.no_people)}</p> }.into_any()
    } else {
        view! { <ul class="admin-list" data-testid="people">
            {people.into_iter().map(|u| view! { <PersonRow u reload /> }).collect::<Vec<_>>()}
        </ul> }
        .into_any()
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, adm.people)}</h2>
            {list}
            <Invite company_id reload />
        </section>
    }
}

fn role_label(i18n: I18n, r: &str) -> &'static str {
    match r {
        "agent" => t_string!(i18n, adm.role_agent),
        "admin" => t_string!(i18n, adm.role_admin),
        _ => t_string!(i18n, adm.role_client),
    }
}

#[component]
fn PersonRow(u: AdminUserView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let err = RwSignal::new(None::<ApiError>);
    let status = match u.status.as_str() {
        "invited" => t_string!(i18n, adm.st_invited),
        "deactivated" => t_string!(i18n, adm.st_deactivated),
        _ => t_string!(i18n, adm.st_active),
    };
    let patch = move |id: String, body: PatchUserRequest| {
        spawn_local(async move {
            match api::admin_patch_user(id, body).await {
                Ok(_) => bump(reload),
                Err(e) => err.set(Some(e)),
            }
        })
    };
    let active = u.status != "deactivated";
    let (id1, id2, id3, id4) = (u.id.clone(), u.id.clone(), u.id.clone(), u.id.clone());
    let company_id = u.company.as_ref().map(|c| c.id.clone());
    let is_client = u.role == "client";
    let suspension = u.suspension.clone().map(|s| {
        let (since, reason) = (fmt_time(i18n, &s.since), s.reason.clone());
        view! {
            <p class="notice is-alert" data-testid="person-suspended">
                {t!(i18n, adm.suspended_since, since = move || since.clone(), reason = move || reason.clone())}
                " "
                <button type="button" class="btn btn-secondary" data-testid="person-unsuspend"
                    on:click=move |_| { let id = id3.clone(); spawn_local(async move {
                        match api::admin_suspension("users", id, None).await { Ok(_) => bump(reload), Err(e) => err.set(Some(e)) }
                    }); }>{t!(i18n, adm.unsuspend)}</button>
            </p>
        }
    });
    let suspend_ctl = (is_client && u.suspension.is_none() && active).then(|| view! {
        <SuspendControl label=|i| t_string!(i, adm.suspend) testid="person-suspend".to_string() err
            on_confirm=move |reason| { let id = id4.clone(); spawn_local(async move {
                match api::admin_suspension("users", id, Some(reason)).await { Ok(_) => bump(reload), Err(e) => err.set(Some(e)) }
            }); } />
    });
    let roles = ["client", "agent", "admin"];
    let current_role = u.role.clone();
    view! {
        <li class="admin-item person" data-testid="person" data-email=u.email.clone() data-status=u.status.clone() data-role=u.role.clone()>
            <span class="item-title">{u.name.clone()}</span>
            <span class="hint">{u.email.clone()} " · " {role_label(i18n, &u.role)} " · " {status}</span>
            {suspension}
            <div class="actions">
                <label class="inline">
                    <span class="visually-hidden">{t!(i18n, adm.change_role)}</span>
                    <select data-testid="person-role" on:change=move |ev| {
                        let role = event_target_value(&ev);
                        patch(id1.clone(), PatchUserRequest { role: Some(role), company_id: company_id.clone(), ..Default::default() });
                    }>
                        {roles.iter().map(|r| view! {
                            <option value=*r selected=*r == current_role>{role_label(i18n, r)}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
                <button type="button" class="btn btn-ghost" data-testid="person-active"
                    on:click=move |_| patch(id2.clone(), PatchUserRequest { active: Some(!active), ..Default::default() })>
                    {if active { t_string!(i18n, adm.deactivate) } else { t_string!(i18n, adm.reactivate) }}
                </button>
            </div>
            {suspend_ctl}
            <FormError err fields=&["reason"] />
        </li>
    }
}

/// The last invitation sent from this page (its e-mail), kept above the reloaded list.
#[derive(Clone, Copy)]
struct Invited(RwSignal<Option<String>>);

#[component]
fn Invite(company_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let staff = company_id.is_empty();
    let (email, name, phone) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let role = RwSignal::new(if staff {
        "agent".to_string()
    } else {
        "client".to_string()
    });
    let err = RwSignal::new(None::<ApiError>);
    // Provided by the page: the list re-renders after an invitation (reload), and the
    // "invitation sent" notice must outlive that.
    let done = use_context::<Invited>()
        .map(|i| i.0)
        .unwrap_or_else(|| RwSignal::new(None));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        err.set(None);
        done.set(None);
        let body = CreateUserRequest {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: role.get_untracked(),
            company_id: (!staff).then(|| company_id.clone()),
            phone: Some(phone.get_untracked()),
        };
        spawn_local(async move {
            match api::admin_create_user(body).await {
                Ok(u) => {
                    done.set(Some(u.email));
                    email.set(String::new());
                    name.set(String::new());
                    phone.set(String::new());
                    bump(reload);
                }
                Err(e) => err.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form" data-testid="invite" on:submit=on_submit>
            <h3>{t!(i18n, adm.invite)}</h3>
            {move || done.get().map(|e| view! { <p class="notice" role="status" data-testid="invited">{t!(i18n, adm.invited_ok, email = move || e.clone())}</p> })}
            <FormError err fields=&["email", "name", "phone", "role"] />
            <div class="field">
                <label for="inv-email">{t!(i18n, adm.email)}</label>
                <input id="inv-email" type="email" inputmode="email" data-testid="inv-email" required bind:value=email />
                <FieldError err field="email" />
            </div>
            <div class="field">
                <label for="inv-name">{t!(i18n, adm.name)}</label>
                <input id="inv-name" data-testid="inv-name" required bind:value=name />
                <FieldError err field="name" />
            </div>
            <div class="field">
                <label for="inv-phone">{t!(i18n, adm.phone)}</label>
                <input id="inv-phone" type="tel" data-testid="inv-phone" bind:value=phone />
                <FieldError err field="phone" />
            </div>
            {staff.then(|| view! {
                <div class="field">
                    <label for="inv-role">{t!(i18n, adm.role)}</label>
                    <select id="inv-role" data-testid="inv-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="agent">{t!(i18n, adm.role_agent)}</option>
                        <option value="admin">{t!(i18n, adm.role_admin)}</option>
                    </select>
                </div>
            })}
            <button type="submit" class="btn" data-testid="inv-submit">{t!(i18n, adm.invite_btn)}</button>
        </form>
    }
}

#[component]
fn Flags(flags: Vec<PersonFlags>, threshold: i64, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    if flags.is_empty() {
        return view! { <section class="card"><h2>{t!(i18n, adm.flags)}</h2><p class="hint" data-testid="flags-none">{t!(i18n, adm.flags_none)}</p></section> }.into_any();
    }
    let items = flags.into_iter().map(|f| {
        let err = RwSignal::new(None::<ApiError>);
        let uid = f.user.id.clone();
        let count = f.count;
        let prompt = f.suggest_suspension.then(|| view! {
            <div class="notice is-alert" data-testid="suggest-suspension">
                <p>{t!(i18n, adm.suggest)}</p>
                <SuspendControl label=|i| t_string!(i, adm.suspend) testid="flag-suspend".to_string() err
                    on_confirm=move |reason| { let id = uid.clone(); spawn_local(async move {
                        match api::admin_suspension("users", id, Some(reason)).await { Ok(_) => bump(reload), Err(e) => err.set(Some(e)) }
                    }); } />
                <FormError err fields=&["reason"] />
            </div>
        });
        view! {
            <li class="admin-item" data-testid="person-flags" data-user=f.user.id.clone() data-count=count.to_string()>
                <span class="item-title">{f.user.name.clone()}</span>
                <span class="hint">{t!(i18n, adm.flags_count, count = move || count, threshold = move || threshold)}</span>
                <ul class="flag-messages">
                    {f.messages.clone().into_iter().map(|m| view! {
                        <li><A href=format!("/tickets/{}", m.ticket_id)>{m.ticket_number}</A>
                            " · " {fmt_time(i18n, &m.created_at)} <blockquote>{m.body}</blockquote></li>
                    }).collect::<Vec<_>>()}
                </ul>
                {prompt}
            </li>
        }
    }).collect::<Vec<_>>();
    view! {
        <section class="card">
            <h2>{t!(i18n, adm.flags)}</h2>
            <ul class="admin-list" data-testid="flags">{items}</ul>
        </section>
    }
    .into_any()
}

fn status_label(i18n: I18n, s: &str) -> &'static str {
    match s {
        "ended" => t_string!(i18n, adm.svc_ended),
        "end_of_life" => t_string!(i18n, adm.svc_end_of_life),
        _ => t_string!(i18n, adm.svc_active),
    }
}

#[component]
fn Services(
    services: Vec<AdminServiceView>,
    company_id: String,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let err = RwSignal::new(None::<ApiError>);
    let items = services.into_iter().map(|s| {
        let sid = s.id.clone();
        let current = s.status.clone();
        view! {
            <li class="admin-item" data-testid="service" data-id=s.id.clone() data-status=s.status.clone()>
                <span class="item-title">{s.name.clone()}</span>
                <span class="hint">{loc(i18n, &s.kind_label)}</span>
                <label class="inline">
                    <span class="visually-hidden">{t!(i18n, adm.status)}</span>
                    <select data-testid="service-status" on:change=move |ev| {
                        let body = PatchServiceRequest { status: Some(event_target_value(&ev)), ..Default::default() };
                        let id = sid.clone();
                        spawn_local(async move {
                            match api::admin_patch_service(id, body).await { Ok(_) => bump(reload), Err(e) => err.set(Some(e)) }
                        });
                    }>
                        {ServiceStatus::ALL.iter().map(|st| view! {
                            <option value=st.as_str() selected=st.as_str() == current>{status_label(i18n, st.as_str())}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
            </li>
        }
    }).collect::<Vec<_>>();
    let (kind, name) = (
        RwSignal::new("hosting".to_string()),
        RwSignal::new(String::new()),
    );
    let on_add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        err.set(None);
        let body = CreateServiceRequest {
            kind: kind.get_untracked(),
            name: name.get_untracked(),
            ..Default::default()
        };
        let id = company_id.clone();
        spawn_local(async move {
            match api::admin_create_service(id, body).await {
                Ok(_) => {
                    name.set(String::new());
                    bump(reload)
                }
                Err(e) => err.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, adm.services)}</h2>
            <ul class="admin-list" data-testid="services">{items}</ul>
            <form class="form" data-testid="add-service" on:submit=on_add>
                <h3>{t!(i18n, adm.add_service)}</h3>
                <FormError err fields=&["kind", "name"] />
                <div class="field">
                    <label for="svc-kind">{t!(i18n, adm.kind)}</label>
                    <select id="svc-kind" data-testid="svc-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {move || ServiceKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label(lang(i18n))}</option> }).collect::<Vec<_>>()}
                    </select>
                    <FieldError err field="kind" />
                </div>
                <div class="field">
                    <label for="svc-name">{t!(i18n, adm.name)}</label>
                    <input id="svc-name" data-testid="svc-name" required bind:value=name />
                    <FieldError err field="name" />
                </div>
                <button type="submit" class="btn" data-testid="svc-submit">{t!(i18n, adm.add_service)}</button>
            </form>
        </section>
    }
}

#[component]
fn Contracts(d: AdminCompanyDetail, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let err = RwSignal::new(None::<ApiError>);
    let items = d.contracts.iter().map(|k| {
        let replaced = (!k.counts).then(|| view! { <span class="badge">{t!(i18n, adm.replaced)}</span> });
        view! {
            <li class="admin-item" data-testid="contract" data-plan=k.contract.plan.clone() data-counts=k.counts.to_string() data-remaining=k.contract.hours_remaining.to_string()>
                <span class="item-title">{loc(i18n, &k.contract.plan_label)}</span>
                <span class="hint">
                    {t!(i18n, adm.starts_on)} " " {k.contract.starts_on.clone()} " · "
                    {t!(i18n, adm.expires_on)} " " {k.contract.expires_on.clone()} " · "
                    {t!(i18n, adm.hours)} " " {k.contract.hours_remaining} "/" {k.contract.hours_total}
                </span>
                {replaced}
                {k.counts.then(|| view! { <HoursCorrection contract_id=k.id.clone() reload /> })}
            </li>
        }
    }).collect::<Vec<_>>();
    let empty = d
        .contracts
        .is_empty()
        .then(|| view! { <p class="hint">{t!(i18n, adm.no_contracts)}</p> });
    let plan = RwSignal::new("basica".to_string());
    let starts = RwSignal::new(
        crate::components::tickets::now_utc()
            .date_naive()
            .to_string(),
    );
    let company_id = d.company.id.clone();
    let on_add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        err.set(None);
        let body = CreateContractRequest {
            plan: plan.get_untracked(),
            starts_on: starts.get_untracked(),
            replaces_id: None,
        };
        let id = company_id.clone();
        spawn_local(async move {
            match api::admin_create_contract(id, body).await {
                Ok(_) => bump(reload),
                Err(e) => err.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, adm.contracts)}</h2>
            {empty}
            <ul class="admin-list" data-testid="contracts">{items}</ul>
            <form class="form" data-testid="add-contract" on:submit=on_add>
                <h3>{t!(i18n, adm.add_contract)}</h3>
                <FormError err fields=&["plan", "starts_on"] />
                <div class="field">
                    <label for="k-plan">{t!(i18n, adm.plan)}</label>
                    <select id="k-plan" data-testid="k-plan" on:change=move |ev| plan.set(event_target_value(&ev))>
                        {move || Plan::ALL.iter().filter(|p| **p != Plan::PerEvent).map(|p| view! {
                            <option value=p.as_str()>{format!("{} ({} h)", p.label(lang(i18n)), p.hours())}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                    <FieldError err field="plan" />
                </div>
                <div class="field">
                    <label for="k-start">{t!(i18n, adm.starts_on)}</label>
                    <input id="k-start" type="date" data-testid="k-start" required bind:value=starts />
                    <FieldError err field="starts_on" />
                </div>
                <button type="submit" class="btn" data-testid="k-submit">{t!(i18n, adm.add_contract)}</button>
            </form>
        </section>
    }
}

/// An admin's compensating entry in the póliza's hours ledger, with its reason (issue 13,
/// P26: consumed hours are never refunded, mistakes are corrected by a new entry).
#[component]
fn HoursCorrection(contract_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let err = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<i64>);
    let hours = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        err.set(None);
        done.set(None);
        let body = domain::api::billing::CorrectionRequest {
            hours: hours.get_untracked().trim().parse().unwrap_or(0),
            reason: reason.get_untracked(),
        };
        let id = contract_id.clone();
        spawn_local(async move {
            match api::admin_correction(id, body).await {
                Ok(e) => {
                    done.set(Some(e.balance_after));
                    hours.set(String::new());
                    reason.set(String::new());
                    bump(reload);
                }
                Err(e) => err.set(Some(e)),
            }
        });
    };
    view! {
        <details class="correction">
            <summary data-testid="kc-open">{t!(i18n, adm.correction)}</summary>
            <form class="form" data-testid="hours-correction" on:submit=on_submit>
                <p class="hint">{t!(i18n, adm.correction_lead)}</p>
                <FormError err fields=&["hours", "reason"] />
                <div class="field">
                    <label for="kc-hours">{t!(i18n, adm.correction_hours)}</label>
                    <input id="kc-hours" data-testid="kc-hours" type="number" step="1" min="-1000" max="1000" required bind:value=hours />
                    <FieldError err field="hours" />
                </div>
                <div class="field">
                    <label for="kc-reason">{t!(i18n, adm.correction_reason)}</label>
                    <input id="kc-reason" data-testid="kc-reason" maxlength="500" required bind:value=reason />
                    <FieldError err field="reason" />
                </div>
                <button type="submit" class="btn" data-testid="kc-submit">{t!(i18n, adm.correction)}</button>
                {move || done.get().map(|b| view! { <p class="notice" role="status" data-testid="kc-done">{t!(i18n, adm.correction_done, balance = move || b)}</p> })}
            </form>
        </details>
    }
}

/// `/admin/personal`: agents and admins (invite, change role, deactivate) and the P27
/// flag threshold.
#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    provide_context(Invited(RwSignal::new(None)));
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.get();
        async move {
            let agents = api::admin_users("role=agent".into()).await?;
            let admins = api::admin_users("role=admin".into()).await?;
            Ok::<_, ApiError>([admins.users, agents.users].concat())
        }
    });
    view! {
        <Page title=|i| t_string!(i, adm.staff_title) lead=|i| t_string!(i, adm.staff_lead) class="admin-page wide">
            <AdminTabs />
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                Ok(people) => view! { <People people company_id=String::new() reload /> }.into_any(),
            })}
            <Threshold />
        </Page>
    }
}

#[component]
fn Threshold() -> impl IntoView {
    let i18n = use_i18n();
    let value = RwSignal::new(String::new());
    let err = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(c) = api::admin_conduct().await {
            value.set(c.flag_threshold.to_string());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let n = value.get_untracked().trim().parse::<i64>().unwrap_or(0);
        spawn_local(async move {
            match api::admin_put_conduct(n).await {
                Ok(_) => {
                    err.set(None);
                    saved.set(true)
                }
                Err(e) => err.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card">
            <form class="form" data-testid="threshold" on:submit=on_submit>
                <div class="field">
                    <label for="flag-threshold">{t!(i18n, adm.threshold_label)}</label>
                    <input id="flag-threshold" type="number" min="1" max="20" inputmode="numeric" bind:value=value />
                    <FieldError err field="flag_threshold" />
                </div>
                <FormError err fields=&["flag_threshold"] />
                {move || saved.get().then(|| view! { <p class="notice" role="status">{t!(i18n, adm.saved)}</p> })}
                <button type="submit" class="btn">{t!(i18n, adm.save)}</button>
            </form>
        </section>
    }
}
