from ninja import Router

router = Router(tags=["Cổng công khai"])
