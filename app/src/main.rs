//! The browser entry point, built by Trunk with the `csr` feature.

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_stopped_notice();
    }));
    leptos::mount::mount_to_body(app::App);
}

/// After a panic nothing in the client runs any more, so the page says so itself, with a
/// plain link that reloads it. The usual cause is a page's code that could not be fetched
/// because Tessera was updated while the tab was open.
fn show_stopped_notice() {
    const ID: &str = "client-stopped";
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(body), None) = (document.body(), document.get_element_by_id(ID)) else {
        return;
    };
    let Ok(notice) = document.create_element("div") else {
        return;
    };
    notice.set_id(ID);
    let _ = notice.set_attribute("role", "alert");
    let _ = notice.set_attribute("class", "alert client-stopped");
    notice.set_inner_html(
        "Tessera stopped working in this tab, most likely because it was updated while the tab \
         was open. <a href=\"\">Reload the page</a> to go on.",
    );
    let _ = body.prepend_with_node_1(&notice);
}
