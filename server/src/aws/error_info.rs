//! What an AWS error code means on the wire: its HTTP status and who is to blame. Apart from
//! the model and the table of common errors, which both produce it.

/// Who AWS blames for an error, the `<Type>` of a Query error response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    Sender,
    Receiver,
}

impl Fault {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Fault::Sender => "Sender",
            Fault::Receiver => "Receiver",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ErrorInfo {
    pub(crate) status: u16,
    pub(crate) fault: Fault,
}
