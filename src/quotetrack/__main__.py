from quotetrack.cli import main

main()
