//! `mspod inspect`.

use crate::cli::InspectArgs;
use crate::error::{Error, Result};
use crate::ui::Ui;

pub fn run(_args: &InspectArgs, _ui: &Ui) -> Result<i32> {
    Err(Error::Usage("not implemented yet".into()))
}
