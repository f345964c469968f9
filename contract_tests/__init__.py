"""contract_tests."""
