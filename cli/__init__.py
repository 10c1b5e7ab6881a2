"""The command-line commands: parse arguments, call the services, print."""
