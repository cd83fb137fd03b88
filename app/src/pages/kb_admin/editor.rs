//! The article editor: Markdown on the left, the server's rendering on the right.
//!
//! The preview is `POST /api/kb/preview` (the Worker renders and sanitizes exactly as on
//! save), 400 ms after the last keystroke — no Markdown crate in the WASM. The slug follows
//! the title (`domain::kb::slugify`, the same rule as the server) until it is edited by hand;
//! renaming a published article keeps the old address working (the server stores a
//! redirect). Saving sends `expected_updated_at`, so two people editing at once get a
//! clear "reload first" instead of silently overwriting each other.
use domain::kb::{ArticleInput, ArticleStatus, Category};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::api;
use crate::components::page::set_title;
use crate::components::tickets::{
    add_files, error_text, pasted_files, AttachmentPicker, Picked, Rejected,
};
use crate::i18n::*;
use crate::pages::kb::{api_message, by_locale};
use domain::api::kb::{AdminArticleItem, ArticleSource};

const PREVIEW_DELAY: std::time::Duration = std::time::Duration::from_millis(400);

thread_local! {
    /// Set when a save moves the editor to another address (created, or slug renamed), so
    /// the editor shown there still says "saved".
    static JUST_SAVED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Everything the form needs before it can be shown.
#[derive(Clone)]
struct Loaded {
    source: Option<ArticleSource>,
    categories: Vec<Category>,
    articles: Vec<AdminArticleItem>,
}

async fn load(slug: Option<String>) -> Result<Loaded, api::ApiError> {
    let source = match slug {
        Some(s) => Some(api::kb_admin_get(s).await?),
        None => None,
    };
    let categories = api::kb_home().await?.categories;
    let articles = api::kb_admin_list().await?;
    Ok(Loaded {
        source,
        categories,
        articles,
    })
}

#[component]
pub fn KbNewArticlePage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || t_string!(i18n, kb_admin.new_article));
    let data = LocalResource::new(|| load(None));
    view! { <EditorFrame data=data /> }
}

#[component]
pub fn KbEditArticlePage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(move || t_string!(i18n, kb_admin.edit_title));
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let data = LocalResource::new(move || load(Some(slug.get())));
    view! { <EditorFrame data=data /> }
}

#[component]
fn EditorFrame(data: LocalResource<Result<Loaded, api::ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page page-wide kb-editor-page" data-testid="kb-editor-page">
            <p class="kb-back"><a href="/articulos">{t!(i18n, kb_admin.back)}</a></p>
            {move || match data.get() {
                None => view! { <p class="loading" aria-busy="true">{t!(i18n, app.loading)}</p> }.into_any(),
                Some(Err(e)) if e.status == 404 => view! { <p class="notice">{t!(i18n, kb.not_found_title)}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="form-error" role="alert">{t!(i18n, kb.load_error)}</p> }.into_any(),
                Some(Ok(loaded)) => view! { <Editor loaded=loaded /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Editor(loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let src = loaded.source.clone();
    let editing = src.is_some();
    let current_slug = StoredValue::new(src.as_ref().map(|s| s.slug.clone()));

    let title = RwSignal::new(src.as_ref().map(|s| s.title.clone()).unwrap_or_default());
    let title_en = RwSignal::new(
        src.as_ref()
            .and_then(|s| s.title_en.clone())
            .unwrap_or_default(),
    );
    let slug = RwSignal::new(src.as_ref().map(|s| s.slug.clone()).unwrap_or_default());
    // A new article's slug follows its title until edited by hand.
    let slug_touched = RwSignal::new(editing);
    let category = RwSignal::new(
        src.as_ref()
            .map(|s| s.category.clone())
            .or_else(|| loaded.categories.first().map(|c| c.slug.clone()))
            .unwrap_or_default(),
    );
    let summary = RwSignal::new(src.as_ref().map(|s| s.summary.clone()).unwrap_or_default());
    let body = RwSignal::new(src.as_ref().map(|s| s.body_md.clone()).unwrap_or_default());
    let status = RwSignal::new(src.as_ref().map(|s| s.status).unwrap_or_default());
    let related = RwSignal::new(src.as_ref().map(|s| s.related.clone()).unwrap_or_default());
    let updated_at = RwSignal::new(src.as_ref().map(|s| s.updated_at.clone()));
    let old_slugs = src
        .as_ref()
        .map(|s| s.old_slugs.clone())
        .unwrap_or_default();
    let public_url = RwSignal::new(src.as_ref().map(|s| s.url.clone()));

    let preview = RwSignal::new(
        src.as_ref()
            .map(|s| s.body_html.clone())
            .unwrap_or_default(),
    );
    let previewing = RwSignal::new(false);
    let preview_failed = RwSignal::new(false);
    let preview_gen = StoredValue::new(0u64);

    let saving = RwSignal::new(false);
    let saved = RwSignal::new(JUST_SAVED.with(|f| f.replace(false)));
    let error = RwSignal::new(None::<(Option<String>, String)>);

    // Live preview through the server.
    let on_body = move |text: String| {
        body.set(text.clone());
        saved.set(false);
        preview_gen.update_value(|g| *g += 1);
        let gen = preview_gen.get_value();
        set_timeout(
            move || {
                if preview_gen.get_value() != gen {
                    return;
                }
                if text.trim().is_empty() {
                    preview.set(String::new());
                    return;
                }
                previewing.set(true);
                spawn_local(async move {
                    let answer = api::kb_preview(text).await;
                    if preview_gen.get_value() != gen {
                        return;
                    }
                    previewing.set(false);
                    match answer {
                        Ok(html) => {
                            preview_failed.set(false);
                            preview.set(html);
                        }
                        Err(_) => preview_failed.set(true),
                    }
                });
            },
            PREVIEW_DELAY,
        );
    };

    // Images: checked and shown like ticket screenshots, uploaded at once, and their
    // Markdown inserted where the cursor is.
    let images = RwSignal::new(Vec::<Picked>::new());
    let images_rejected = RwSignal::new(Vec::<Rejected>::new());
    let started = StoredValue::new(Vec::<u32>::new());
    Effect::new(move |_| {
        for p in images.get() {
            if started.with_value(|s| s.contains(&p.key)) {
                continue;
            }
            started.update_value(|s| s.push(p.key));
            spawn_local(async move {
                let progress = p.progress;
                match api::kb_upload_image(&p.file, move |f| progress.set(f)).await {
                    Ok(img) => {
                        on_body(insert_at_cursor(
                            "kb-body",
                            &body.get_untracked(),
                            &img.markdown,
                        ));
                        images.update(|l| l.retain(|x| x.key != p.key));
                    }
                    Err(e) => p.error.set(Some(error_text(i18n, &e))),
                }
            });
        }
    });
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let files = pasted_files(&ev);
        if !files.is_empty() {
            ev.prevent_default();
            add_files(i18n, files, images, images_rejected);
        }
    };

    let on_title = move |t: String| {
        if !slug_touched.get_untracked() {
            slug.set(domain::kb::slugify(&t));
        }
        title.set(t);
        saved.set(false);
    };

    let field_error = move |name: &'static str| {
        move || {
            error.with(|e| match e {
                Some((Some(f), msg)) if f == name => Some(view! {
                    <p class="field-error" data-testid="kb-field-error" data-field=name role="alert">{msg.clone()}</p>
                }),
                _ => None,
            })
        }
    };

    let save = move |_| {
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        saved.set(false);
        error.set(None);
        let input = ArticleInput {
            slug: Some(slug.get_untracked()).filter(|s| !s.trim().is_empty()),
            title: title.get_untracked(),
            title_en: Some(title_en.get_untracked()).filter(|s| !s.trim().is_empty()),
            category: category.get_untracked(),
            summary: summary.get_untracked(),
            body_md: body.get_untracked(),
            status: status.get_untracked(),
            related: related.get_untracked(),
            expected_updated_at: updated_at.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let answer = match current_slug.get_value() {
                Some(s) => api::kb_admin_update(s, input).await,
                None => api::kb_admin_create(input).await,
            };
            saving.set(false);
            match answer {
                Ok(a) => {
                    let renamed = current_slug.get_value().as_deref() != Some(a.slug.as_str());
                    current_slug.set_value(Some(a.slug.clone()));
                    slug.set(a.slug.clone());
                    slug_touched.set(true);
                    updated_at.set(Some(a.updated_at.clone()));
                    public_url.set(Some(a.url.clone()));
                    preview.set(a.body_html.clone());
                    saved.set(true);
                    if renamed {
                        JUST_SAVED.with(|f| f.set(true));
                        navigate(
                            &format!("/articulos/editar/{}", a.slug),
                            NavigateOptions {
                                replace: true,
                                scroll: false,
                                ..Default::default()
                            },
                        );
                    }
                }
                Err(e) => {
                    let msg = if e.is_network() {
                        t_string!(i18n, kb_admin.network_error).to_string()
                    } else if e.code == "stale_article" {
                        t_string!(i18n, kb_admin.stale).to_string()
                    } else {
                        api_message(i18n, &e)
                    };
                    error.set(Some((e.field.clone(), msg)));
                }
            }
        });
    };

    let categories = loaded.categories.clone();
    let category_options = move || {
        categories
            .iter()
            .map(|c| {
                let s = c.slug.clone();
                let selected = category.get() == s;
                view! { <option value=s selected=selected>{by_locale(i18n, &c.name, &c.name_en)}</option> }
            })
            .collect::<Vec<_>>()
    };

    // Related articles: chosen ones as removable chips, the rest in a picker.
    let all_articles = StoredValue::new(loaded.articles.clone());
    let title_of = move |s: &str| {
        all_articles.with_value(|list| {
            list.iter()
                .find(|a| a.slug == s)
                .map(|a| a.title.clone())
                .unwrap_or_else(|| s.to_string())
        })
    };
    let chips = move || {
        related
            .get()
            .into_iter()
            .map(|s| {
                let label = title_of(&s);
                let s2 = s.clone();
                view! {
                    <li class="chip" data-testid="kb-related-chip" data-slug=s.clone()>
                        <span>{label}</span>
                        <button type="button" class="chip-x"
                            aria-label=move || t_string!(i18n, kb_admin.remove)
                            on:click=move |_| related.update(|r| r.retain(|x| *x != s2))>"×"</button>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let picker_options = move || {
        let chosen = related.get();
        let me = current_slug.get_value();
        all_articles.with_value(|list| {
            list.iter()
                .filter(|a| !chosen.contains(&a.slug) && Some(&a.slug) != me.as_ref())
                .map(|a| view! { <option value=a.slug.clone()>{format!("{} ({})", a.title, a.category)}</option> })
                .collect::<Vec<_>>()
        })
    };

    let status_radio = move |value: ArticleStatus,
                             testid: &'static str,
                             label: fn(crate::I18n) -> &'static str| {
        view! {
            <label class="radio">
                <input type="radio" name="kb-status" data-testid=testid
                    prop:checked=move || status.get() == value
                    on:change=move |_| { status.set(value); saved.set(false); } />
                {move || label(i18n)}
            </label>
        }
    };

    view! {
        <h1>
            {move || if editing { t_string!(i18n, kb_admin.edit_title) } else { t_string!(i18n, kb_admin.new_article) }}
        </h1>
        <form class="kb-editor" data-testid="kb-editor" on:submit=move |ev| { ev.prevent_default(); save(()); }>
            <div class="kb-editor-meta">
                <div class="field">
                    <label for="kb-title">{t!(i18n, kb_admin.f_title)}</label>
                    <input id="kb-title" data-testid="kb-title" required maxlength="200"
                        prop:value=move || title.get() on:input=move |ev| on_title(event_target_value(&ev)) />
                    {field_error("title")}
                </div>
                <div class="field">
                    <label for="kb-slug">{t!(i18n, kb_admin.f_slug)}</label>
                    <input id="kb-slug" data-testid="kb-slug" maxlength="100" autocapitalize="off" spellcheck="false"
                        prop:value=move || slug.get()
                        on:input=move |ev| { slug_touched.set(true); slug.set(event_target_value(&ev)); } />
                    <p class="hint">
                        {move || format!("/kb/{}/{}", category.get(), slug.get())}
                        {editing.then(|| view! { " · " {t!(i18n, kb_admin.slug_hint)} })}
                    </p>
                    {(!old_slugs.is_empty()).then(|| view! {
                        <p class="hint" data-testid="kb-old-slugs">{t!(i18n, kb_admin.old_slugs)} " " {old_slugs.join(", ")}</p>
                    })}
                    {field_error("slug")}
                </div>
                <div class="field">
                    <label for="kb-category">{t!(i18n, kb_admin.f_category)}</label>
                    <select id="kb-category" data-testid="kb-category"
                        on:change=move |ev| { category.set(event_target_value(&ev)); saved.set(false); }>
                        {category_options}
                    </select>
                    {field_error("category")}
                </div>
                <div class="field">
                    <label for="kb-title-en">{t!(i18n, kb_admin.f_title_en)}</label>
                    <input id="kb-title-en" data-testid="kb-title-en" maxlength="200" lang="en"
                        prop:value=move || title_en.get() on:input=move |ev| title_en.set(event_target_value(&ev)) />
                    {field_error("title_en")}
                </div>
                <div class="field field-wide">
                    <label for="kb-summary">{t!(i18n, kb_admin.f_summary)}</label>
                    <textarea id="kb-summary" data-testid="kb-summary" rows="2" maxlength="400"
                        prop:value=move || summary.get() on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                    {field_error("summary")}
                </div>
            </div>

            <div class="kb-editor-panes">
                <div class="field">
                    <label for="kb-body">{t!(i18n, kb_admin.f_body)}</label>
                    <textarea id="kb-body" class="kb-md" data-testid="kb-body" rows="18" spellcheck="true"
                        prop:value=move || body.get() on:input=move |ev| on_body(event_target_value(&ev))
                        on:paste=on_paste></textarea>
                    <p class="hint">{t!(i18n, kb_admin.md_hint)}</p>
                    <div class="kb-images" data-testid="kb-images">
                        <p class="label">{t!(i18n, kb_admin.images)}</p>
                        <AttachmentPicker list=images rejected=images_rejected />
                    </div>
                    {field_error("body_md")}
                </div>
                <div class="field">
                    <p class="label" id="kb-preview-label">
                        {t!(i18n, kb_admin.preview)}
                        {move || previewing.get().then(|| view! { <span class="hint">" · " {t!(i18n, kb_admin.previewing)}</span> })}
                    </p>
                    {move || preview_failed.get().then(|| view! { <p class="field-error">{t!(i18n, kb_admin.preview_error)}</p> })}
                    <div class="kb-body kb-preview" data-testid="kb-preview" aria-labelledby="kb-preview-label" lang="es"
                        inner_html=move || preview.get()></div>
                </div>
            </div>

            <fieldset class="field kb-related-edit">
                <legend>{t!(i18n, kb_admin.f_related)}</legend>
                <ul class="chips">{chips}</ul>
                <label for="kb-related-add" class="visually-hidden">{t!(i18n, kb_admin.add_related)}</label>
                <select id="kb-related-add" data-testid="kb-related-add"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if !v.is_empty() {
                            related.update(|r| if !r.contains(&v) { r.push(v) });
                            saved.set(false);
                        }
                    }
                    prop:value=String::new>
                    <option value="">{t!(i18n, kb_admin.add_related)}</option>
                    {picker_options}
                </select>
                {field_error("related")}
            </fieldset>

            <fieldset class="field kb-status-edit">
                <legend>{t!(i18n, kb_admin.f_status)}</legend>
                {status_radio(ArticleStatus::Draft, "kb-status-draft", |i| t_string!(i, kb.draft))}
                {status_radio(ArticleStatus::Published, "kb-status-published", |i| t_string!(i, kb_admin.published))}
                <p class="hint">{t!(i18n, kb_admin.status_hint)}</p>
            </fieldset>

            {move || error.with(|e| match e {
                Some((None, msg)) => Some(view! { <p class="form-error" role="alert" data-testid="kb-save-error">{msg.clone()}</p> }),
                Some((Some(_), _)) => Some(view! { <p class="form-error" role="alert" data-testid="kb-save-error">{t_string!(i18n, kb_admin.fix_fields).to_string()}</p> }),
                None => None,
            })}
            {move || saved.get().then(|| view! {
                <p class="notice" role="status" data-testid="kb-saved">
                    {t!(i18n, kb_admin.saved)}
                    {(status.get() == ArticleStatus::Published).then(|| public_url.get().map(|u| view! {
                        " " <a href=u data-testid="kb-saved-link">{t!(i18n, kb_admin.view_public)}</a>
                    }))}
                </p>
            })}
            <p class="actions">
                <button type="submit" class="btn" data-testid="kb-save" disabled=move || saving.get()>
                    {move || if saving.get() { t_string!(i18n, kb_admin.saving) } else { t_string!(i18n, kb_admin.save) }}
                </button>
            </p>
        </form>
    }
}

/// `text` with `insert` on its own lines at the caret of the textarea `id` (at the end
/// when the textarea has no caret).
fn insert_at_cursor(id: &str, text: &str, insert: &str) -> String {
    use wasm_bindgen::JsCast;
    let caret = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .and_then(|t| t.selection_end().ok().flatten())
        .map(|utf16| {
            // The caret counts UTF-16 units; find the matching byte offset.
            let mut units = 0u32;
            text.char_indices()
                .find(|(_, c)| {
                    units += c.len_utf16() as u32;
                    units > utf16
                })
                .map_or(text.len(), |(i, _)| i)
        })
        .unwrap_or(text.len());
    let (before, after) = text.split_at(caret);
    let lead = if before.is_empty() || before.ends_with("\n\n") {
        ""
    } else if before.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let trail = if after.starts_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    format!("{before}{lead}{insert}{trail}{after}")
}
