//! The dispatcher: hands each completed item to the item rules of every namespace, then
//! to the cross-item rules ([`FeedState`]), and the channel to the channel rules once
//! the document ends (some channel tags follow the items). The rule files never import
//! this module; they see one node and, for the channel, the feed's state.

use super::common::{duplicates, item_label};
use super::diag::Diags;
use super::podcast::Level;
use super::state::{FeedState, ItemFacts};
use super::xml::{Completed, Node};
use super::{apple, podcast, rss, spotify};

/// Hands each completed item to the item rules, then the cross-item rules, and the
/// channel to the channel rules once the document ends.
pub(super) struct Checker {
    pub(super) state: FeedState,
    root: Option<Node>,
}

impl Checker {
    pub(super) fn new(source: &str) -> Self {
        Checker {
            state: FeedState::new(source),
            root: None,
        }
    }

    pub(super) fn on_completed(&mut self, done: Completed, diags: &mut Diags) {
        match done {
            Completed::Item(item) => {
                let facts = check_item(&item, diags);
                self.state.add_item(&facts, (item.line, item.column), diags);
            }
            Completed::Root(root) => self.root = Some(root),
        }
    }

    /// Channel-level checks, once the whole document has been read.
    pub(super) fn finish(&mut self, bytes: u64, diags: &mut Diags) {
        let Some(root) = self.root.take() else { return };
        let Some(channel) = rss::check_root(&root, bytes, diags) else {
            return;
        };
        let st = &mut self.state;
        st.self_url = podcast::channel_self_url(channel);
        duplicates(channel, diags);
        rss::check_channel(channel, diags);
        apple::check_channel(channel, st, diags);
        spotify::check_channel(channel, diags);
        podcast::check_children(channel, Level::Channel, Some(st), diags);
    }
}

/// The rules of one item that need nothing but the item (labelled with its guid or
/// title); returns what the cross-item rules need to know about it.
pub(super) fn check_item(item: &Node, diags: &mut Diags) -> ItemFacts {
    let label = item_label(item);
    diags.item = label.clone();
    duplicates(item, diags);
    rss::check_item(item, diags);
    apple::check_item(item, diags);
    podcast::check_children(item, Level::Item, None, diags);
    podcast::check_psc(item, diags);
    podcast::check_itunes_agree(item, diags);
    diags.item = None;
    ItemFacts::of(item, label)
}
