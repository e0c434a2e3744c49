print("wgmesh-dstool: not written yet")
