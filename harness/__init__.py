"""Upload, deploy, run and verify: tenant client, local tenant emulator, mocks, contract suite."""
