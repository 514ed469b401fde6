from datracker.cli import main

main()
