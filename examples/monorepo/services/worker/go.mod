module example.com/monorepo/services/worker

go 1.26

require example.com/monorepo/libs/shared v0.0.0

require github.com/google/uuid v1.6.0 // indirect

replace example.com/monorepo/libs/shared => ../../libs/shared
