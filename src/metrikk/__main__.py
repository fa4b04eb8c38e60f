from metrikk.cli import main

main()
