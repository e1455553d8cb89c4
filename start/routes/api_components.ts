/*
| Meeting components and component types (api.md §6.7).
*/
