module echo-server

go 1.26.1
