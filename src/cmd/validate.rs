//! `mspod validate`.

use crate::cli::ValidateArgs;
use crate::error::{Error, Result};
use crate::ui::Ui;

pub fn run(_args: &ValidateArgs, _ui: &Ui) -> Result<i32> {
    Err(Error::Usage("not implemented yet".into()))
}
