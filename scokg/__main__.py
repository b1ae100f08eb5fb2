from scokg.cli import main

main()
