from kuk_xlsx.cli import main

main()
