"""The dialogs of the counter, one module per workflow (see cashier/ui/README.md)."""
