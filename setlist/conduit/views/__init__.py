"""The RealWorld ("Conduit") API: thin views over the accounts and journal services."""
