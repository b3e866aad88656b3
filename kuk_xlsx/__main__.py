from kuk_xlsx.cli.commands import main

main()
